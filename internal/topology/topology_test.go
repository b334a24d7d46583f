package topology_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm/weztermtest"
)

func load(t *testing.T) ([]wezterm.Pane, []wezterm.ClientInfo) {
	dir := weztermtest.FixturesDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "list-sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	panes, err := wezterm.ParseList(data)
	if err != nil {
		t.Fatal(err)
	}
	cdata, _ := os.ReadFile(filepath.Join(dir, "list-clients-sample.json"))
	clients, err := wezterm.ParseClients(cdata)
	if err != nil {
		t.Fatal(err)
	}
	return panes, clients
}

func TestBuildSample(t *testing.T) {
	old := wezterm.Hostname
	wezterm.Hostname = func() string { return "laptop" } // the sample's OSC 7 host
	defer func() { wezterm.Hostname = old }()
	panes, clients := load(t)
	tree := topology.Build(panes, clients)
	if len(tree.Workspaces) != 2 || tree.Workspaces[0].Name != "default" || tree.Workspaces[1].Name != "project-x" {
		t.Fatalf("workspaces = %+v", tree.Workspaces)
	}
	def := tree.Workspaces[0]
	if !def.Visible || tree.Workspaces[1].Visible || def.PaneCount() != 3 {
		t.Errorf("default: visible %v, panes %d", def.Visible, def.PaneCount())
	}
	tabs := def.Windows[0].Tabs
	if len(tabs) != 2 || tabs[0].Cols != 160 || tabs[0].Rows != 48 || tabs[1].Title != "logs" || tabs[0].Title != "vim main.go" {
		t.Errorf("tabs = %+v", tabs)
	}
	p0 := tabs[0].Panes[0]
	if !p0.Focused || p0.CWD != "/home/alice/src/app" || p0.Host != "" || p0.Where != "local" /* OSC 7 names "laptop", this machine */ || *p0.TTY != "/dev/pts/1" {
		t.Errorf("pane 0 = %+v", p0)
	}
	px := tree.Workspaces[1].Windows[0].Tabs[0]
	if px.Cols != 160 || px.Rows != 48 { // the zoomed pane's size is the tab's
		t.Errorf("zoomed tab extent %dx%d", px.Cols, px.Rows)
	}
	if len(tree.Panes()) != 5 {
		t.Errorf("Panes() = %d", len(tree.Panes()))
	}
}

// Window order from WezTerm is unspecified: the tree must not depend on it.
func TestBuildIgnoresWindowOrder(t *testing.T) {
	panes, clients := load(t)
	a, _ := json.Marshal(topology.Build(panes, clients))
	rev := append([]wezterm.Pane{}, panes[3:]...)
	rev = append(rev, panes[:3]...)
	b, _ := json.Marshal(topology.Build(rev, clients))
	if string(a) != string(b) {
		t.Errorf("tree depends on window order:\n%s\n%s", a, b)
	}
}

func TestBuildNoGUIAndEmpty(t *testing.T) {
	panes, _ := load(t)
	tree := topology.Build(panes, nil)
	if tree.GUIWorkspace != "" || tree.Workspaces[0].Visible {
		t.Errorf("no GUI: %+v", tree)
	}
	if got := topology.Build(nil, nil); len(got.Workspaces) != 0 {
		t.Errorf("empty: %+v", got)
	}
}

// Inconsistent input (one tab id in two windows and workspaces) must not
// panic or mix panes between windows.
func TestBuildInconsistentInput(t *testing.T) {
	panes := []wezterm.Pane{
		{WindowID: 1, TabID: 7, PaneID: 1, Workspace: "a"},
		{WindowID: 2, TabID: 7, PaneID: 2, Workspace: "b"},
		{WindowID: 1, TabID: 7, PaneID: 3, Workspace: "b"},
	}
	tree := topology.Build(panes, nil)
	if n := len(tree.Panes()); n != 3 {
		t.Fatalf("%d panes", n)
	}
	for _, ws := range tree.Workspaces {
		for _, w := range ws.Windows {
			for _, tab := range w.Tabs {
				for _, p := range tab.Panes {
					if p.WindowID != w.ID || p.Workspace != ws.Name {
						t.Errorf("pane %d filed under %s/%d", p.ID, ws.Name, w.ID)
					}
				}
			}
		}
	}
}
