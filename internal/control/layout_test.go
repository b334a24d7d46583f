package control

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
)

// One way to read and plan a layout, wherever it is launched from: a
// project layout's folders are its own folder's, the others' default_cwd's;
// ${agent_command} is the preferences'.
func TestPrepare(t *testing.T) {
	proj := t.TempDir()
	os.Mkdir(filepath.Join(proj, "web"), 0o700)
	path := filepath.Join(proj, ".wezterm-parallel.toml")
	os.WriteFile(path, []byte("workspace = \"site\"\n[[tabs]]\ncwd = \"web\"\ncommand = \"${agent_command}\"\n"), 0o600)
	prefs := config.Defaults()
	prefs.AgentCommand, prefs.DefaultCWD = "claude", t.TempDir()

	e := layout.Entry{Name: "site", Path: path, Source: layout.Project}
	data, _ := os.ReadFile(path)
	p, err := Prepare(e, data, prefs, PrepareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmds := strings.Join(trustLines(p.Plan), "\n")
	if !strings.Contains(cmds, filepath.Join(proj, "web")) || !strings.Contains(cmds, "claude") {
		t.Errorf("project layout planned as:\n%s", cmds)
	}
	if p.Workspace() != "site" {
		t.Errorf("workspace %q", p.Workspace())
	}
	if p, _ := Prepare(e, data, prefs, PrepareOptions{Workspace: "other"}); p.Workspace() != "other" {
		t.Errorf("--workspace: %q", p.Workspace())
	}
	// A bundled layout by name; a broken one names its file and line.
	if _, err := PrepareNamed("agents-2x2", "", prefs, PrepareOptions{}); err != nil {
		t.Errorf("bundled: %v", err)
	}
	os.WriteFile(filepath.Join(proj, "bad.toml"), []byte("[[tabs]]\nsplit = \"sideways\"\npanes = [{}, {}]\n"), 0o600)
	if _, err := PrepareNamed("bad", proj, prefs, PrepareOptions{}); err == nil || !strings.Contains(err.Error(), "bad.toml:2:1") {
		t.Errorf("broken: %v", err)
	}
	for _, tc := range []struct {
		l    Launched
		want string
	}{
		{Launched{Name: "dev", Workspace: "dev", Panes: 1}, "Launched dev: 1 pane in workspace dev"},
		{Launched{Name: "agents-2x2", Workspace: "my agents", Panes: 4}, "Launched agents-2x2: 4 panes in workspace 'my agents'"},
		{Launched{Name: "pair", Copies: 2}, "Launched 2 copies of pair, each in its own git worktree (clean up: wezterm-parallel layout cleanup pair)"},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}

// trustLines are the commands a plan types, one a line.
func trustLines(p *launch.Plan) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Desc())
	}
	return out
}
