// Package topology turns WezTerm's flat pane list into the tree people think
// in: workspace ▸ window ▸ tab ▸ pane, with each tab's extent so panes can be
// drawn to scale. Pure functions, no I/O.
package topology

import (
	"slices"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Tree is every workspace, sorted by name. The JSON field names are a
// contract for scripts (`wezterm-parallel list --json`).
type Tree struct {
	Workspaces []Workspace `json:"workspaces"`
	// GUIWorkspace is the workspace the WezTerm GUI shows ("" when no GUI
	// client is attached); GUIFocus the pane it focuses.
	GUIWorkspace string          `json:"gui_workspace,omitempty"`
	GUIFocus     *wezterm.PaneID `json:"gui_focused_pane,omitempty"`
	// System is the machine's load, when sampled.
	System *SystemUsage `json:"system,omitempty"`
	// SpendToday is today's (local day) spend of every agent session.
	SpendToday *SpendTotal `json:"spend_today,omitempty"`
}

// SystemUsage is the machine's CPU and memory.
type SystemUsage struct {
	CPUPercent    *float64 `json:"cpu_percent"` // nil until two samples were taken
	MemUsedBytes  uint64   `json:"mem_used_bytes"`
	MemTotalBytes uint64   `json:"mem_total_bytes"`
}

// Usage is a pane's resource use (its process tree), when sampled. Nil
// fields are unknown: CPU before a second sample, everything for a pane
// without a tty.
type Usage struct {
	CPUPercent   *float64    `json:"cpu_percent"`
	RSSBytes     *uint64     `json:"rss_bytes"`
	ProcessCount *int        `json:"process_count"`
	Foreground   *Foreground `json:"foreground"`
	// Group is the rest of the foreground process group (the agent a
	// launcher runs); not in the JSON.
	Group []Foreground `json:"-"`
}

// Foreground is the program in the foreground of a pane.
type Foreground struct {
	PID     int32     `json:"pid"`
	Name    string    `json:"name"`
	Cmdline string    `json:"cmdline"`
	Start   time.Time `json:"start_time"`
}

// Spend is what an agent's session in a pane used and cost (tokens and
// USD, from the agent's own records; see internal/spend).
type Spend struct {
	Model      string `json:"model"` // the session's latest
	TokensIn   int64  `json:"tokens_in"`
	TokensOut  int64  `json:"tokens_out"`
	CacheWrite int64  `json:"cache_write"`
	CacheRead  int64  `json:"cache_read"`
	// CostUSD is null when a model used has no price: unknown, never 0.
	CostUSD *float64 `json:"cost_usd"`
	Session string   `json:"session"`
	// USDPerHour is the rate over the last 10 minutes (null: unknown).
	USDPerHour *float64 `json:"usd_per_hour"`
}

// SpendTotal is the day's spend over every agent session.
type SpendTotal struct {
	TokensIn   int64    `json:"tokens_in"`
	TokensOut  int64    `json:"tokens_out"`
	CacheWrite int64    `json:"cache_write"`
	CacheRead  int64    `json:"cache_read"`
	CostUSD    *float64 `json:"cost_usd"` // of the priced models
	// Unpriced counts tokens of models without a price (not in CostUSD).
	Unpriced int64 `json:"unpriced_tokens"`
}

// Workspace groups the windows that carry one workspace name.
type Workspace struct {
	Name    string   `json:"name"`
	Visible bool     `json:"visible"` // the GUI shows this workspace
	Windows []Window `json:"windows"`
}

// Window is a mux window.
type Window struct {
	ID    wezterm.WindowID `json:"id"`
	Title string           `json:"title"`
	Tabs  []Tab            `json:"tabs"`
}

// Tab is one tab; Cols×Rows is its extent in cells.
type Tab struct {
	ID    wezterm.TabID `json:"id"`
	Index int           `json:"index"` // position in the window's tab bar
	Title string        `json:"title"`
	// TitleSet: the title was set (set-tab-title), not derived from a pane.
	TitleSet bool   `json:"title_set"`
	Cols     int    `json:"cols"`
	Rows     int    `json:"rows"`
	Panes    []Pane `json:"panes"`
}

// Pane is one pane with its place in the tab.
type Pane struct {
	ID    wezterm.PaneID `json:"id"`
	Title string         `json:"title"`
	CWD   string         `json:"cwd"`  // the folder's path ("" when unknown); local only when Where is "local"
	Host  string         `json:"host"` // host of an OSC 7 cwd, "" when local
	// Where the folder is: "local", "remote" (another host's OSC 7, also
	// in a local pty after ssh) or "unknown" (a hostless path of a pane
	// without a local pty: a mux or ssh domain's).
	Where  string  `json:"where"`
	Rows   int     `json:"rows"`
	Cols   int     `json:"cols"`
	Left   int     `json:"left"`
	Top    int     `json:"top"`
	Active bool    `json:"active"` // the active pane of its tab
	Zoomed bool    `json:"zoomed"`
	TTY    *string `json:"tty"`
	// Focused: the pane the GUI focuses.
	Focused bool `json:"focused"`
	// Workspace, window and tab ids, repeated for convenience.
	Workspace string           `json:"workspace"`
	WindowID  wezterm.WindowID `json:"window_id"`
	TabID     wezterm.TabID    `json:"tab_id"`
	// Usage is inlined in JSON (cpu_percent, rss_bytes, …) when set.
	*Usage
	// Agent is the AI agent running in the pane, when a rule matches.
	Agent *Agent `json:"agent,omitempty"`
	// Spend is the agent's session spend, when its records were found.
	Spend *Spend `json:"spend,omitempty"`
}

// Agent is an agent's status in a pane.
type Agent struct {
	Name   string        `json:"name"`
	Status agents.Status `json:"status"` // working, waiting, idle or exited
	Since  time.Time     `json:"since"`
	Why    string        `json:"why"` // the signal that decided the status
	// PID is the agent's process (the foreground leader, or the member of
	// its group that matched); Session the session id the agent reported
	// of itself, when it keeps such state ("" otherwise).
	PID     int32  `json:"pid,omitempty"`
	Session string `json:"session,omitempty"`
}

// Build groups panes (in WezTerm's list order) into a tree. clients may be
// nil; the client with the most recent input is taken as the GUI.
func Build(panes []wezterm.Pane, clients []wezterm.ClientInfo) Tree {
	t := Tree{Workspaces: []Workspace{}}
	gui, hasGUI := wezterm.GUIClient(clients)
	if hasGUI {
		t.GUIWorkspace = gui.Workspace
		t.GUIFocus = gui.FocusedPaneID
	}
	wsIdx := map[string]int{}
	type winKey struct {
		ws  string
		win wezterm.WindowID
	}
	winIdx := map[winKey]int{}
	type tabKey struct {
		win winKey
		tab wezterm.TabID
	}
	tabIdx := map[tabKey]int{} // -> tab index in its window
	for _, p := range panes {
		wi, ok := wsIdx[p.Workspace]
		if !ok {
			wi = len(t.Workspaces)
			wsIdx[p.Workspace] = wi
			t.Workspaces = append(t.Workspaces, Workspace{Name: p.Workspace, Visible: hasGUI && p.Workspace == gui.Workspace})
		}
		ws := &t.Workspaces[wi]
		k := winKey{p.Workspace, p.WindowID}
		wini, ok := winIdx[k]
		if !ok {
			wini = len(ws.Windows)
			winIdx[k] = wini
			ws.Windows = append(ws.Windows, Window{ID: p.WindowID, Title: p.WindowTitle})
		}
		win := &ws.Windows[wini]
		if win.Title == "" {
			win.Title = p.WindowTitle
		}
		// Keyed with the window so that inconsistent input (a tab id in two
		// windows) cannot index the wrong window.
		tk := tabKey{k, p.TabID}
		ti, ok := tabIdx[tk]
		if !ok {
			ti = len(win.Tabs)
			tabIdx[tk] = ti
			win.Tabs = append(win.Tabs, Tab{ID: p.TabID, Index: len(win.Tabs), Title: p.TabTitle, TitleSet: p.TabTitle != ""})
		}
		tab := &win.Tabs[ti]
		loc := p.Location()
		tab.Panes = append(tab.Panes, Pane{
			ID: p.PaneID, Title: p.Title, CWD: loc.Path, Host: loc.Host, Where: loc.Where.String(),
			Rows: p.Size.Rows, Cols: p.Size.Cols, Left: p.LeftCol, Top: p.TopRow,
			Active: p.IsActive, Zoomed: p.IsZoomed, TTY: p.TTYName,
			Focused:   t.GUIFocus != nil && *t.GUIFocus == p.PaneID,
			Workspace: p.Workspace, WindowID: p.WindowID, TabID: p.TabID,
		})
	}
	// Window order from WezTerm is unspecified: sort what it does not fix.
	slices.SortFunc(t.Workspaces, func(a, b Workspace) int { return strings.Compare(a.Name, b.Name) })
	for i := range t.Workspaces {
		ws := &t.Workspaces[i]
		slices.SortFunc(ws.Windows, func(a, b Window) int { return cmpID(a.ID, b.ID) })
		for j := range ws.Windows {
			win := &ws.Windows[j]
			for k := range win.Tabs {
				finishTab(&win.Tabs[k])
			}
			if win.Title == "" && len(win.Tabs) > 0 {
				win.Title = win.Tabs[0].Title
			}
		}
	}
	return t
}

func cmpID[T ~uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// finishTab derives the tab's extent and default title. A zoomed pane
// reports the whole tab as its size; otherwise the extent is the furthest
// pane edge.
func finishTab(tab *Tab) {
	for _, p := range tab.Panes {
		if p.Zoomed {
			tab.Cols, tab.Rows = p.Cols, p.Rows
			break
		}
		tab.Cols = max(tab.Cols, p.Left+p.Cols)
		tab.Rows = max(tab.Rows, p.Top+p.Rows)
	}
	if tab.Title == "" {
		// WezTerm's default tab title is the active pane's title.
		for _, p := range tab.Panes {
			if p.Active {
				tab.Title = p.Title
			}
		}
		if tab.Title == "" && len(tab.Panes) > 0 {
			tab.Title = tab.Panes[0].Title
		}
	}
}

// PaneCount returns the number of panes in ws.
func (ws Workspace) PaneCount() int {
	n := 0
	for _, w := range ws.Windows {
		for _, t := range w.Tabs {
			n += len(t.Panes)
		}
	}
	return n
}

// EachPane calls f with a pointer to every pane, in display order, so
// callers can fill in what the pane list does not carry.
func (t *Tree) EachPane(f func(*Pane)) {
	for i := range t.Workspaces {
		for j := range t.Workspaces[i].Windows {
			for k := range t.Workspaces[i].Windows[j].Tabs {
				tab := &t.Workspaces[i].Windows[j].Tabs[k]
				for l := range tab.Panes {
					f(&tab.Panes[l])
				}
			}
		}
	}
}

// Panes returns every pane of the tree in display order.
func (t Tree) Panes() []Pane {
	var out []Pane
	for _, ws := range t.Workspaces {
		for _, w := range ws.Windows {
			for _, tab := range w.Tabs {
				out = append(out, tab.Panes...)
			}
		}
	}
	return out
}
