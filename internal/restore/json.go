package restore

import (
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// PlanJSON is a plan as `restore --dry-run --json` prints it: a contract
// for scripts.
type PlanJSON struct {
	Snapshot   snapshot.Info   `json:"snapshot"`
	Summary    Summary         `json:"summary"`
	Workspaces []WorkspaceJSON `json:"workspaces"`
	// CloseStartup is the pane WezTerm opened at its start, closed once
	// everything is back (null: none).
	CloseStartup *wezterm.PaneID `json:"close_startup_pane"`
	Notes        []string        `json:"notes"`
	// Commands are the wezterm commands it runs (window by window, pane
	// ids as $p0, $p1…).
	Commands []string `json:"commands"`
}

// WorkspaceJSON is one workspace of a plan.
type WorkspaceJSON struct {
	Name    string       `json:"name"`
	Target  string       `json:"target"`
	Exists  bool         `json:"exists"`
	Action  Action       `json:"action"`
	Root    string       `json:"root"`
	Tabs    int          `json:"tabs"`
	Present int          `json:"tabs_present"`
	Partial int          `json:"tabs_partial"`
	Windows []WindowJSON `json:"windows"`
}

// WindowJSON is one window a plan opens.
type WindowJSON struct {
	Cols int       `json:"cols"`
	Rows int       `json:"rows"`
	Tabs []TabJSON `json:"tabs"`
}

// TabJSON is one tab a plan opens.
type TabJSON struct {
	Title string `json:"title"`
	Panes []Row  `json:"panes"`
}

// JSON describes p (info is the snapshot's, commands its DryRun).
func (p *Plan) JSON(info snapshot.Info, commands []string) PlanJSON {
	out := PlanJSON{Snapshot: info, Summary: p.Summary(), CloseStartup: p.Blank, Notes: p.Notes(), Commands: commands,
		Workspaces: []WorkspaceJSON{}}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	if out.Commands == nil {
		out.Commands = []string{}
	}
	rows := p.Rows()
	i := 0
	for _, wp := range p.Workspaces {
		w := WorkspaceJSON{Name: wp.Name, Target: wp.Target, Exists: wp.Exists, Action: wp.Action, Root: wp.Root,
			Tabs: wp.Tabs, Present: wp.Present, Partial: wp.Partial, Windows: []WindowJSON{}}
		for _, win := range wp.Windows {
			wj := WindowJSON{Cols: win.Cols, Rows: win.Rows, Tabs: []TabJSON{}}
			for _, tp := range win.Tabs {
				tj := TabJSON{Title: tp.Title, Panes: rows[i : i+len(tp.Panes)]}
				i += len(tp.Panes)
				wj.Tabs = append(wj.Tabs, tj)
			}
			w.Windows = append(w.Windows, wj)
		}
		out.Workspaces = append(out.Workspaces, w)
	}
	return out
}
