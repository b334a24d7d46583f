package layout

import (
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Issue 19: a local pane where the user ran `ssh build-box` reports the
// remote shell's OSC 7 (file://build-box/home/u/proj) with a local tty.
// Saving must not write the remote path as a local folder; the pane starts
// where ssh was started, running ssh again. A tty-less pane with a
// hostless path (a mux domain's) has no known local folder.
func TestSaveDoesNotTurnRemoteFoldersLocal(t *testing.T) {
	oldHost, oldCWD := wezterm.Hostname, ProcCWD
	wezterm.Hostname = func() string { return "laptop" }
	ProcCWD = func(pid int32) string {
		return map[int32]string{42: "/work/proj/ops", 43: "/work/proj/api"}[pid]
	}
	defer func() { wezterm.Hostname, ProcCWD = oldHost, oldCWD }()
	tty := func(s string) *string { return &s }
	panes := []wezterm.Pane{
		{WindowID: 1, TabID: 1, PaneID: 1, Workspace: "w", CWD: "file:///work/proj/web/", TTYName: tty("/dev/pts/1"),
			Size: wezterm.Size{Cols: 39, Rows: 24}, HasPosition: true, HasState: true, IsActive: true},
		{WindowID: 1, TabID: 1, PaneID: 2, Workspace: "w", CWD: "file://build-box/home/u/proj", TTYName: tty("/dev/pts/2"),
			Size: wezterm.Size{Cols: 40, Rows: 11}, LeftCol: 40, HasPosition: true, HasState: true},
		{WindowID: 1, TabID: 1, PaneID: 3, Workspace: "w", CWD: "file://build-box/home/u/old", TTYName: tty("/dev/pts/3"),
			Size: wezterm.Size{Cols: 40, Rows: 12}, LeftCol: 40, TopRow: 12, HasPosition: true, HasState: true},
	}
	tree := topology.Build(panes, nil)
	tree.EachPane(func(p *topology.Pane) {
		switch p.ID {
		case 2: // ssh in the foreground
			p.Usage = &topology.Usage{Foreground: &topology.Foreground{PID: 42, Name: "ssh", Cmdline: "ssh build-box"}}
		case 3: // the ssh ended; a local shell without OSC 7 is back
			p.Usage = &topology.Usage{Foreground: &topology.Foreground{PID: 43, Name: "bash", Cmdline: "bash"}}
		}
	})
	l, err := FromWorkspace(tree.Workspaces[0], "s")
	if err != nil {
		t.Fatal(err)
	}
	text := Format(l, "")
	if strings.Contains(text, "home/u") {
		t.Errorf("a remote folder was saved as a local one:\n%s", text)
	}
	for _, want := range []string{`cwd = "/work/proj"`, `cwd = "web"`, `cwd = "ops"`, `command = "ssh build-box"`, `cwd = "api"`} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %s in:\n%s", want, text)
		}
	}

	// A pane of a mux domain: no tty, a hostless path. Unknown: not saved.
	panes = []wezterm.Pane{{WindowID: 1, TabID: 1, PaneID: 1, Workspace: "m", CWD: "file:///srv/remote-only/",
		Size: wezterm.Size{Cols: 80, Rows: 24}, HasPosition: true, HasState: true, IsActive: true}}
	tree = topology.Build(panes, nil)
	if l, err = FromWorkspace(tree.Workspaces[0], "m"); err != nil {
		t.Fatal(err)
	}
	if text := Format(l, ""); strings.Contains(text, "srv") {
		t.Errorf("an unknown folder was saved as a local one:\n%s", text)
	}
}
