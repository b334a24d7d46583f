//go:build unix

package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// TestSnapshotAndRestoreCommands: `snapshot` records the stand-in's
// workspaces; after a "reboot", `restore --dry-run [--json]` says what it
// would do, `restore` asks (and refuses without a terminal), `restore
// --yes` brings the workspaces back, and again changes nothing.
func TestSnapshotAndRestoreCommands(t *testing.T) {
	home := t.TempDir()
	proj := filepath.Join(home, "my proj")
	os.MkdirAll(proj, 0o700)
	getenv := func(k string) string {
		switch k {
		case "HOME":
			return home
		case "XDG_STATE_HOME":
			return filepath.Join(home, "state")
		}
		return ""
	}
	cfg := filepath.Join(home, "config.toml")
	os.WriteFile(cfg, []byte("[restore]\nrun = [\"sleep *\"]\n"), 0o600)
	a := startSim(t, sim.Config{})
	ctx := context.Background()
	ca := a.Client()
	p0, err := ca.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "web", CWD: proj})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.SplitPane(ctx, p0, wezterm.SplitOptions{Direction: wezterm.Right, CWD: proj, Program: []string{"sleep", "600"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "notes", CWD: home}); err != nil {
		t.Fatal(err)
	}
	app1 := func(env []string, link string, args ...string) (string, string, int) {
		t.Helper()
		return runApp(t, app.Options{Env: env, Getenv: getenv}, append([]string{"--config", cfg, "--wezterm", link}, args...)...)
	}
	out, errOut, code := app1(a.Env, a.Link, "snapshot", "--json")
	if code != 0 {
		t.Fatalf("snapshot: %d %s", code, errOut)
	}
	var info struct {
		ID      string `json:"id"`
		Path    string `json:"path"`
		Summary struct {
			Workspaces, Panes int
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil || info.Summary.Workspaces != 2 || info.Summary.Panes != 3 {
		t.Fatalf("snapshot --json: %v %s", err, out)
	}
	if !strings.HasPrefix(info.Path, filepath.Join(home, "state", "wezterm-parallel", "snapshots")) {
		t.Errorf("not in the state folder: %s", info.Path)
	}
	out, _, code = app1(a.Env, a.Link, "restore", "--list")
	if code != 0 || !strings.Contains(out, info.ID) || !strings.Contains(out, "2 workspaces, 3 panes") {
		t.Errorf("restore --list: %d %s", code, out)
	}
	out, _, _ = app1(a.Env, a.Link, "restore", "--list", "--json")
	var list []map[string]any
	if json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0]["id"] != info.ID {
		t.Errorf("restore --list --json: %s", out)
	}

	// The reboot.
	a.Server.Close()
	b := startSim(t, sim.Config{})
	b.Server.EnsureWorkspace("default")
	out, errOut, code = app1(b.Env, b.Link, "restore", "--dry-run")
	if code != 0 {
		t.Errorf("restore --dry-run: %d %s %s", code, out, errOut)
	}
	for _, want := range []string{"spawn --new-window --workspace web --cwd '" + proj + "'", "split-pane --pane-id $p0 --right", "kill-pane --pane-id 0", "runs 'sleep 600'"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	out, _, code = app1(b.Env, b.Link, "restore", "--dry-run", "--json")
	var plan struct {
		Summary struct {
			Panes int `json:"panes"`
			Runs  int `json:"runs"`
		} `json:"summary"`
		Workspaces []struct {
			Name   string `json:"name"`
			Action string `json:"action"`
		} `json:"workspaces"`
		CloseStartup *int     `json:"close_startup_pane"`
		Commands     []string `json:"commands"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil || code != 0 || plan.Summary.Panes != 3 || plan.Summary.Runs != 1 ||
		len(plan.Workspaces) != 2 || plan.Workspaces[0].Action != "create" || plan.CloseStartup == nil || len(plan.Commands) == 0 {
		t.Errorf("restore --dry-run --json: %v %s", err, out)
	}
	if _, errOut, code := app1(b.Env, b.Link, "restore"); code != 1 || !strings.Contains(errOut, "pass --yes") {
		t.Errorf("without a terminal and --yes: %d %s", code, errOut)
	}
	out, errOut, code = app1(b.Env, b.Link, "restore", "--yes")
	if code != 0 || !strings.Contains(out, "restored web: 1 window, 1 tab, 2 panes") || !strings.Contains(out, "closed pane 0") {
		t.Fatalf("restore --yes: %d\n%s\n%s", code, out, errOut)
	}
	panes, _ := b.Client().List(ctx)
	if len(panes) != 3 {
		t.Errorf("%d panes after the restore", len(panes))
	}
	out, _, code = app1(b.Env, b.Link, "restore", "--yes")
	if code != 0 || !strings.Contains(out, "nothing to restore") {
		t.Errorf("a second restore: %d %s", code, out)
	}
	if again, _ := b.Client().List(ctx); len(again) != 3 {
		t.Errorf("the second restore changed the panes: %d", len(again))
	}
	// A copy of one workspace, by name.
	out, errOut, code = app1(b.Env, b.Link, "restore", "--yes", "--existing", "copy", "--workspace", "notes", "--json")
	var rep struct {
		Restored []struct{ Target string } `json:"restored"`
	}
	if json.Unmarshal([]byte(out), &rep) != nil || code != 0 || len(rep.Restored) != 1 || rep.Restored[0].Target != "notes (restored)" {
		t.Errorf("copy: %d %s %s", code, out, errOut)
	}
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"restore", "--from", "20990101T000000Z"}, "no snapshot", 1},
		{[]string{"restore", "--from", filepath.Join(home, "nope.json")}, "no such file", 1},
		{[]string{"restore", "--existing", "maybe"}, "want merge, copy or skip", 2},
		{[]string{"restore", "--workspace", "nope", "--dry-run"}, "has no workspace nope", 1},
	} {
		_, errOut, code := app1(b.Env, b.Link, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: %d %s", c.args, code, errOut)
		}
	}
}

func TestSnapshotImportResurrect(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	state := filepath.Join(home, "resurrect", "workspace")
	os.MkdirAll(state, 0o700)
	os.WriteFile(filepath.Join(state, "dev.json"), []byte(`{"workspace":"dev","window_states":[{"title":"","size":{"rows":24,"cols":80},"tabs":[{"title":"","pane_tree":{"left":0,"top":0,"width":80,"height":24,"cwd":"`+home+`","domain":"local"}}]}]}`), 0o600)
	out, errOut, code := runApp(t, app.Options{Getenv: getenv}, "snapshot", "--import", filepath.Join(home, "resurrect"))
	if code != 0 || !strings.Contains(out, "1 workspace, 1 pane") || !strings.Contains(out, "restore it: wezterm-parallel restore --from ") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	out, _, _ = runApp(t, app.Options{Getenv: getenv}, "restore", "--list")
	if !strings.Contains(out, "resurrect:") {
		t.Errorf("list: %s", out)
	}
	_, errOut, code = runApp(t, app.Options{Getenv: getenv}, "snapshot", "--import", filepath.Join(home, "nothing"))
	if code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("import of nothing: %d %s", code, errOut)
	}
}

func TestRestoreHelpAndCompletion(t *testing.T) {
	out, _, code := runApp(t, app.Options{}, "restore", "--help")
	for _, want := range []string{"--dry-run", "--list", "--from ID", "--yes", "--workspace NAME", "--existing merge|copy|skip", "--run-all", "--json"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("restore --help lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runApp(t, app.Options{}, "__complete", "restore", "--existing", "")
	if strings.Fields(out)[0] != "merge" || !strings.Contains(out, "skip") {
		t.Errorf("completion of --existing: %q", out)
	}
	out, _, _ = runApp(t, app.Options{}, "__complete", "")
	if !strings.Contains(out, "restore\n") || !strings.Contains(out, "snapshot\n") {
		t.Errorf("commands: %q", out)
	}
}
