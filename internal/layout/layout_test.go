package layout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
)

func TestCheckReportsPositionedProblems(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.toml")
	src := `name = "bad"
workspace = "w"
colour = "red"

[[tabs]]
split = "right"
panes = [
  { size = "150%", focus = true },
  { cwd = "no-such-dir", focus = true },
]

[[tabs]]
split = "down"
`
	wd, _ := os.Getwd()
	_, err := Parse(file, []byte(src), "bad", CheckOptions{})
	if err == nil {
		t.Fatal("no problems found")
	}
	got := err.Error()
	want := []string{
		file + ":3:1: unknown key \"colour\"",
		file + ":8:5: size 150% is out of 1..99%",
		file + ":9:5: cwd " + filepath.Join(wd, "no-such-dir") + ": no such directory",
		file + ":9:26: two panes have focus = true",
		file + ":13:1: empty split: a split needs at least two panes",
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("problems lack %q:\n%s", w, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != len(want) {
		t.Errorf("%d problems, want %d:\n%s", n, len(want), got)
	}
}

func TestParseForms(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "web"), 0o755)
	src := `cwd = "` + dir + `"
env = { A = "1" }
[[tabs]]
title = "t"
split = "right"
  [[tabs.panes]]
  cwd = "web"
  command = "npm run dev"
  [[tabs.panes]]
  size = 40
  split = "down"
  panes = [ { args = ["htop"] }, { command = "${agent_command}", zoom = true } ]
[[tabs]]
grid = "3x1"
[tabs.pane]
command = "claude"
`
	l, err := Parse(filepath.Join(dir, "x.toml"), []byte(src), "x", CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Tabs) != 2 || l.Tabs[0].Title != "t" || l.Tabs[0].Root.Split != Right {
		t.Fatalf("tabs = %+v", l.Tabs)
	}
	leaves := l.Tabs[0].Root.Leaves()
	if len(leaves) != 3 || leaves[0].CWD != "web" || leaves[1].Args[0] != "htop" || !leaves[2].Zoom {
		t.Errorf("leaves = %+v %+v %+v", leaves[0], leaves[1], leaves[2])
	}
	if l.Tabs[0].Root.Children[1].Size.Cells != 40 {
		t.Errorf("size = %+v", l.Tabs[0].Root.Children[1].Size)
	}
	if g := l.Tabs[1].Root; g.Split != Right || len(g.Children) != 3 || g.Children[2].Command != "claude" {
		t.Errorf("grid = %+v", g)
	}
	if got := l.PaneCWD(leaves[0]); got != filepath.Join(dir, "web") {
		t.Errorf("cwd = %s", got)
	}
}

func TestBundledLayoutsParse(t *testing.T) {
	entries, err := List("")
	if err != nil || len(entries) < 3 {
		t.Fatalf("bundled: %v %v", entries, err)
	}
	for _, e := range entries {
		data, err := assets.Layouts.ReadFile("layouts/" + e.Name + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(e.Path, data, e.Name, CheckOptions{}); err != nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
}

func TestFindPrefersUserLayouts(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "agents-2x2.toml"), []byte("[[tabs]]\n"), 0o600)
	e, data, err := Find("agents-2x2", dir)
	if err != nil || e.Source != User || string(data) != "[[tabs]]\n" {
		t.Fatalf("Find = %+v %q %v", e, data, err)
	}
	e, _, err = Find("dev", dir)
	if err != nil || e.Source != Bundled {
		t.Fatalf("Find dev = %+v %v", e, err)
	}
	proj := t.TempDir()
	os.WriteFile(filepath.Join(proj, ProjectFile), []byte("[[tabs]]\n"), 0o600)
	e, _, err = Find(proj, dir)
	if err != nil || e.Source != Project || e.Trusted() {
		t.Fatalf("Find project = %+v %v", e, err)
	}
	if _, _, err := Find("nope", dir); err == nil || !strings.Contains(err.Error(), "agents-2x2") {
		t.Errorf("missing layout: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"agents-2x2", "agents-3", "dev"} {
		data, _ := assets.Layouts.ReadFile("layouts/" + name + ".toml")
		f.Add(data)
	}
	f.Add([]byte("[[tabs]]\nsplit = \"right\"\npanes = [ {}, { split = \"down\", panes = [{}, {size=\"5%\"}] } ]\n"))
	// Nested shapes that once grew time and memory quadratically.
	nest := func(open, close string, n int) []byte {
		return []byte("[[tabs]]\npanes = " + strings.Repeat(open, n) + strings.Repeat(close, n) + "\n")
	}
	f.Add(nest("[{ split = \"right\", panes = ", "}]", 40))
	f.Add(nest("[", "]", 200))
	f.Add([]byte("[[tabs]]\nenv = {" + strings.Repeat("a.", 100) + "b = \"x\"}\n"))
	f.Add([]byte("[" + strings.Repeat("tabs.", 50) + "x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse("f.toml", data, "f", CheckOptions{SkipDirs: true})
		if err != nil {
			return
		}
		for _, tab := range l.Tabs {
			if tab.Root == nil || len(tab.Root.Leaves()) == 0 {
				t.Fatal("accepted a tab without panes")
			}
		}
		// What parses formats and parses back to the same shape.
		again, err := Parse("g.toml", []byte(Format(l, "")), l.Name, CheckOptions{SkipDirs: true})
		if err != nil {
			t.Fatalf("formatted layout does not parse: %v\n%s", err, Format(l, ""))
		}
		if Format(again, "") != Format(l, "") {
			t.Fatalf("format round trip differs:\n%s\n---\n%s", Format(l, ""), Format(again, ""))
		}
	})
}

// Env keys must be variable names: a key like --split-string would reach
// env(1) as an option and run its value.
func TestEnvKeysMustBeNames(t *testing.T) {
	src := "env = { \"--split-string\" = \"touch /tmp/pwned\", OK_1 = \"x\" }\n" +
		"[[tabs]]\nargs = [\"true\"]\nenv = { \"A=B\" = \"1\", \"1X\" = \"2\", \"\" = \"3\" }\n"
	_, err := Parse("e.toml", []byte(src), "e", CheckOptions{SkipDirs: true})
	if err == nil {
		t.Fatal("hostile env keys accepted")
	}
	for _, want := range []string{
		"e.toml:1:9: env key --split-string is not a variable name",
		"e.toml:4:9: env key A=B is not a variable name",
		"1X",
		"env key '' is not a variable name",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "OK_1") {
		t.Errorf("a good key was refused: %v", err)
	}
}
