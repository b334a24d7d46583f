//go:build unix

package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// TestFlagsAnywhere: flags after positionals, and global flags after the
// command, as in the CLIs people know (the help shows that order).
func TestFlagsAnywhere(t *testing.T) {
	for _, args := range [][]string{
		{"launch", "agents-2x2", "--dry-run"},
		{"launch", "--dry-run", "agents-2x2"},
		{"launch", "agents-2x2", "--dry-run", "--wezterm", "/opt/wezterm"},
		{"--wezterm", "/opt/wezterm", "launch", "--dry-run", "agents-2x2"},
		{"launch", "--wezterm=/opt/wezterm", "agents-2x2", "--dry-run"},
	} {
		out, errOut, code := runApp(t, app.Options{Getenv: func(string) string { return "" }}, args...)
		if code != 0 || !strings.Contains(out, "spawn --new-window --workspace agents") || errOut != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q", args, code, errOut, out)
		}
		if strings.Contains(strings.Join(args, " "), "/opt/wezterm") && !strings.Contains(out, "/opt/wezterm cli") {
			t.Errorf("%q: the global --wezterm was not used:\n%s", args, out)
		}
	}
	// After "--", nothing is a flag.
	out, errOut, code := runApp(t, app.Options{}, "layout", "check", "--", "--dry-run")
	if code != 1 || !strings.Contains(out+errOut, "--dry-run") {
		t.Errorf("layout check -- --dry-run: exit %d %q %q", code, out, errOut)
	}
}

// TestHelp: `CMD --help` and `help CMD` print the command's help to stdout
// with --flags and exit 0; the top-level help no longer promises a window
// "in a later release".
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"list", "top", "launch", "layout", "layout save", "lua", "doctor", "demo", "completion", "switch", "jump"} {
		words := strings.Fields(cmd)
		byFlag, errOut, code := runApp(t, app.Options{}, append(words, "--help")...)
		if code != 0 || errOut != "" || !strings.HasPrefix(byFlag, "Usage: wezterm-parallel "+cmd) {
			t.Errorf("%s --help: exit %d, stderr %q, stdout %q", cmd, code, errOut, byFlag)
		}
		if regexp.MustCompile(`(?m)^\s+-[a-z]`).MatchString(byFlag) {
			t.Errorf("%s --help shows a -flag:\n%s", cmd, byFlag)
		}
		byHelp, _, code := runApp(t, app.Options{}, append([]string{"help"}, words...)...)
		if code != 0 || byHelp != byFlag {
			t.Errorf("help %s differs from %s --help", cmd, cmd)
		}
		if _, _, code := runApp(t, app.Options{}, append(words, "-h")...); code != 0 {
			t.Errorf("%s -h: exit %d", cmd, code)
		}
	}
	if out, _, _ := runApp(t, app.Options{}, "launch", "--help"); !strings.Contains(out, "--dry-run") || !strings.Contains(out, "--keep-partial") || !strings.Contains(out, "--wezterm PATH") {
		t.Errorf("launch --help lacks its flags:\n%s", out)
	}
	out, errOut, code := runApp(t, app.Options{}, "--help")
	if code != 0 || errOut != "" || !strings.Contains(out, "Commands:") || strings.Contains(out, "later release") {
		t.Errorf("--help: exit %d %q\n%s", code, errOut, out)
	}
	if help, _, _ := runApp(t, app.Options{}, "help"); help != out {
		t.Error("help differs from --help")
	}
}

// TestDidYouMean: an unknown command or flag gets the nearest one, exit 2,
// and not the whole help.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lsit"}, `unknown command "lsit"; did you mean "list"?`},
		{[]string{"dcotor"}, `unknown command "dcotor"; did you mean "doctor"?`},
		{[]string{"lanch", "x"}, `did you mean "launch"?`},
		{[]string{"layout", "sve", "x"}, `unknown command "sve"; did you mean "save"?`},
		{[]string{"list", "--jsno"}, "unknown flag --jsno; did you mean --json?"},
		{[]string{"top", "--sortt", "cpu"}, "unknown flag --sortt; did you mean --sort?"},
		{[]string{"--verbos", "doctor"}, "unknown flag --verbos"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		out, errOut, code := runApp(t, app.Options{}, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) || out != "" || strings.Contains(errOut, "Commands:") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", tc.args, code, out, errOut, tc.want)
		}
	}
	if _, errOut, _ := runApp(t, app.Options{}, "frobnicate"); strings.Contains(errOut, "did you mean") {
		t.Errorf("a far-off word got a suggestion: %q", errOut)
	}
}

// TestCompletion: the scripts for three shells, and the candidates they
// ask the program for (commands, flags, layout names, choices).
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		out, errOut, code := runApp(t, app.Options{}, "completion", sh)
		if code != 0 || errOut != "" || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d %q", sh, code, errOut)
		}
	}
	if _, errOut, code := runApp(t, app.Options{}, "completion", "tcsh"); code != 2 || !strings.Contains(errOut, "bash, zsh or fish") {
		t.Errorf("completion tcsh: %d %q", code, errOut)
	}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	os.MkdirAll(filepath.Join(filepath.Dir(cfg), "layouts"), 0o755)
	os.WriteFile(filepath.Join(filepath.Dir(cfg), "layouts", "mine.toml"), []byte("[[tabs]]\n[[tabs.panes]]\n"), 0o600)
	for _, tc := range []struct {
		words []string
		want  []string
		not   []string
	}{
		{[]string{""}, []string{"list", "launch", "layout", "completion"}, []string{"__complete"}},
		{[]string{"la"}, []string{"launch", "layout"}, []string{"list"}},
		{[]string{"launch", ""}, []string{"agents-2x2", "mine"}, nil},
		{[]string{"launch", "agents-2x2", ""}, nil, []string{"agents-2x2"}},
		{[]string{"--config", cfg, "launch", "m"}, []string{"mine"}, []string{"agents-2x2"}},
		{[]string{"layout", ""}, []string{"list", "check", "save", "cleanup"}, nil},
		{[]string{"layout", "check", ""}, []string{"dev", "mine"}, nil},
		{[]string{"top", "--"}, []string{"--sort", "--interval", "--config", "--help"}, []string{"--json"}},
		{[]string{"top", "--sort", ""}, []string{"cpu", "mem", "pane"}, nil},
		{[]string{"--log-level", ""}, []string{"debug", "warn"}, nil},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, nil},
		{[]string{"help", "l"}, []string{"list", "launch", "layout", "lua"}, nil},
	} {
		out, _, code := runApp(t, app.Options{}, append([]string{"--config", cfg, "__complete"}, tc.words...)...)
		got := strings.Fields(out)
		if code != 0 {
			t.Errorf("%q: exit %d", tc.words, code)
		}
		for _, w := range tc.want {
			if !contains(got, w) {
				t.Errorf("%q: %v lacks %s", tc.words, got, w)
			}
		}
		for _, w := range tc.not {
			if contains(got, w) {
				t.Errorf("%q: %v has %s", tc.words, got, w)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestListCPUHintAndWideTitles: without --interval CPU shows "…" with one
// hint line; CJK and emoji titles keep the columns aligned.
func TestListCPUHintAndWideTitles(t *testing.T) {
	s := startSim(t, sim.Config{})
	c := s.Client()
	ctx := t.Context()
	for _, title := range []string{"build", "日本語のタイトルがとても長い場合", "🚀 deploy 🚀"} {
		id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Program: []string{"sh", "-c", "printf '\\033]0;" + title + "\\007'; sleep 60"}})
		if err != nil {
			t.Fatal(err)
		}
		simtest.Eventually(t, "title", func() bool {
			ps, _ := c.List(ctx)
			for _, p := range ps {
				if p.PaneID == id && p.Title == title {
					return true
				}
			}
			return false
		})
	}
	out, errOut, code := runApp(t, app.Options{Env: s.Env}, "--wezterm", s.Link, "list")
	if code != 0 || errOut != "" {
		t.Fatalf("list: %d %q", code, errOut)
	}
	if !strings.Contains(out, "cpu …") || strings.Count(out, "two samples") != 1 || strings.Contains(out, "cpu -") {
		t.Errorf("CPU without --interval:\n%s", out)
	}
	// The column after the title (the cwd) starts at the same display
	// column on every pane line.
	col := -1
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "      pane ") {
			continue
		}
		i := strings.Index(line, "/") // the cwd
		c := runewidth.StringWidth(line[:i])
		if col >= 0 && c != col {
			t.Errorf("misaligned (cwd at %d, not %d):\n%s", c, col, out)
			break
		}
		col = c
	}
	out, _, _ = runApp(t, app.Options{Env: s.Env}, "--wezterm", s.Link, "top", "--iterations", "1")
	if !strings.Contains(out, "…") || !strings.Contains(out, "two samples") {
		t.Errorf("top's first frame:\n%s", out)
	}
}
