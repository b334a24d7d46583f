package viewmodel

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Badge is an agent's status on a tile, in a row, in the detail panel.
type Badge struct {
	Status agents.Status
	Text   string // "needs you · 3m", "working", "idle", "exited"
	Name   string // the agent ("Claude Code")
	Role   Role
}

// BadgeOf is the badge of an agent at now (nil when none).
func BadgeOf(a *topology.Agent, now time.Time) *Badge {
	if a == nil {
		return nil
	}
	b := &Badge{Status: a.Status, Name: Ellipsize(a.Name, 24)}
	switch a.Status {
	case agents.Waiting:
		b.Text, b.Role = "needs you · "+Waited(now.Sub(a.Since)), RoleWaiting
	case agents.Working:
		b.Text, b.Role = "working", RoleWorking
	case agents.Idle:
		b.Text, b.Role = "idle", RoleIdle
	case agents.Exited:
		b.Text, b.Role = "exited", RoleExited
	default:
		b.Text, b.Role = string(a.Status), RoleMuted
	}
	return b
}

// Tile is what one pane's tile shows. Strings are escaped but not cut: the
// tile cuts them to the width it has (Ellipsize), and shows the whole text
// on hover and in the detail panel.
type Tile struct {
	ID                    wezterm.PaneID
	Title, Program, CWD   string
	CPU, Mem              string // fixed width (CPUText, MemText)
	CPUShort, MemShort    string // compact
	CPUValue              float64
	Heat                  Role
	History               []float64
	Left, Top, Cols, Rows int
	Active, Focused       bool // WezTerm's active pane of its tab / the GUI's focus
	Zoomed                bool
	Selected              bool // the user's selection here
	Badge                 *Badge
	Spend                 Spend // an agent pane's tokens and cost (zero: none)
	Stale                 bool  // last-known picture: WezTerm is not reachable
	NoUsage               bool  // no tty: no numbers to show
	Thumbnail             bool  // a picture of a layout, not a live pane
}

// Equal reports whether two tiles draw the same (a tick that changes
// nothing draws nothing).
func (t Tile) Equal(o Tile) bool {
	if t.ID != o.ID || t.Title != o.Title || t.Program != o.Program || t.CWD != o.CWD || t.CPU != o.CPU || t.Mem != o.Mem ||
		t.Heat != o.Heat || t.Left != o.Left || t.Top != o.Top || t.Cols != o.Cols || t.Rows != o.Rows ||
		t.Active != o.Active || t.Focused != o.Focused || t.Zoomed != o.Zoomed || t.Selected != o.Selected ||
		t.Stale != o.Stale || t.Spend != o.Spend || t.NoUsage != o.NoUsage || t.Thumbnail != o.Thumbnail || (t.Badge == nil) != (o.Badge == nil) || len(t.History) != len(o.History) {
		return false
	}
	if t.Badge != nil && *t.Badge != *o.Badge {
		return false
	}
	for i := range t.History {
		if t.History[i] != o.History[i] {
			return false
		}
	}
	return true
}

// Tab is one tab of the shown workspace, drawn to scale.
type Tab struct {
	ID         wezterm.TabID
	Label      string // "window 3 · tab 1 · title  (160×48)"
	Cols, Rows int
	Tiles      []Tile
}

// Fields are what a tile of a given size shows. CPU and memory are always
// there; the cwd and the program go first, then labels, then the title
// (a compact tile: one line of numbers).
type Fields struct {
	Title, Program, CWD, Labels, Bar, Spark bool
	Compact                                 bool
}

// FieldsFor decides a tile's fields for its size in pixels, with line the
// height of one line of text.
func FieldsFor(w, h, line float32) Fields {
	lines := int(h / line)
	switch {
	case lines < 2 || w < 90:
		return Fields{Compact: true}
	case lines < 3:
		return Fields{Title: true, Labels: w >= 200}
	case lines < 4:
		return Fields{Title: true, Program: true, Labels: w >= 200, Bar: true}
	case lines < 5:
		return Fields{Title: true, Program: true, CWD: true, Labels: w >= 200, Bar: true}
	}
	return Fields{Title: true, Program: true, CWD: true, Labels: w >= 200, Bar: true, Spark: true}
}

// Options shape the model: the user's choices in the window.
type Options struct {
	Workspace string                  // shown workspace
	Selected  map[wezterm.PaneID]bool // multi-selection
	Detail    wezterm.PaneID          // pane in the detail panel
	HasDetail bool
	Filter    string // lower-case
	Home      string
	Now       time.Time
	Stale     bool // the tree is the last-known one
	// PaneBudget is [budget] pane_usd (0: none): a tile at 80 % or more
	// of it is marked.
	PaneBudget float64
}

// TabsOf returns the tabs of the shown workspace with their tiles.
func TabsOf(s monitor.Snapshot, o Options) []Tab {
	var out []Tab
	for _, ws := range s.Tree.Workspaces {
		if ws.Name != o.Workspace {
			continue
		}
		for _, win := range ws.Windows {
			for _, tab := range win.Tabs {
				t := Tab{ID: tab.ID, Cols: tab.Cols, Rows: tab.Rows,
					Label: fmt.Sprintf("window %d · tab %d · %s  (%d×%d)", win.ID, tab.Index+1, Ellipsize(tab.Title, 60), tab.Cols, tab.Rows)}
				zoomed := 0
				for _, p := range tab.Panes {
					if p.Zoomed {
						zoomed = len(tab.Panes) - 1
					}
					if !Matches(p, o.Filter) {
						continue
					}
					t.Tiles = append(t.Tiles, TileOf(p, s.History[p.ID], o))
				}
				if zoomed > 0 {
					// The map draws the zoomed pane over the tab, as WezTerm
					// does: say what it hides, or they look closed.
					t.Label += " · zoomed: " + Plural(zoomed, "other pane") + " hidden (Ctrl+Shift+Z shows them)"
				}
				if len(t.Tiles) > 0 {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// TileOf is one pane's tile.
func TileOf(p topology.Pane, hist []metrics.Sample, o Options) Tile {
	t := Tile{ID: p.ID, Title: Ellipsize(p.Title, 200), CWD: Ellipsize(ShortPath(p.CWD, o.Home), 200),
		Left: p.Left, Top: p.Top, Cols: p.Cols, Rows: p.Rows, Active: p.Active, Focused: p.Focused, Zoomed: p.Zoomed,
		Selected: o.Selected[p.ID] || o.HasDetail && o.Detail == p.ID && len(o.Selected) == 0, Stale: o.Stale,
		Badge: BadgeOf(p.Agent, o.Now), Spend: SpendOf(p.Spend, o.PaneBudget)}
	if p.Host != "" {
		t.CWD = Ellipsize(p.Host+":"+p.CWD, 200)
	}
	u := p.Usage
	if u == nil || u.RSSBytes == nil {
		t.NoUsage = true
		t.CPU, t.Mem, t.CPUShort, t.MemShort = "   –  ", fmt.Sprintf("%9s", "–"), "–", "–"
		if u == nil {
			t.CPU, t.Mem, t.CPUShort, t.MemShort = CPUText(nil), MemText(nil), "…", "…"
		}
		return t
	}
	t.CPU, t.Mem = CPUText(u.CPUPercent), MemText(u.RSSBytes)
	t.CPUShort, t.MemShort = CompactCPU(u.CPUPercent), CompactMem(u.RSSBytes)
	if u.CPUPercent != nil {
		t.CPUValue = *u.CPUPercent
	}
	t.Heat = Heat(t.CPUValue)
	if u.Foreground != nil {
		t.Program = Program(u.Foreground.Name, u.Foreground.Cmdline, 200)
	}
	if len(hist) > 0 {
		// A fixed time axis (the last HistoryLen ticks, zero before the
		// first): the chart does not stretch as samples arrive, and an
		// idle pane's chart stays the same, so it is not redrawn.
		n := max(len(hist), monitor.HistoryLen)
		t.History = make([]float64, n)
		for i, h := range hist {
			t.History[n-len(hist)+i] = h.CPU
		}
	}
	return t
}

// Matches reports whether a pane passes the filter (lower-case words
// matched against its workspace, title, cwd and program).
func Matches(p topology.Pane, filter string) bool { return MatchWhy(p, filter) != "" }

// MatchWhy says where the filter was found in a pane ("title: psql",
// "folder: ~/src/psql-tools"), "any" with no filter, "" when it does not
// match: the table shows it, so a row that matched on something not shown
// is not a mystery.
func MatchWhy(p topology.Pane, filter string) string {
	if filter == "" {
		return "any"
	}
	f := strings.ToLower(filter)
	cmd := ""
	if p.Usage != nil && p.Foreground != nil {
		cmd = p.Foreground.Cmdline
	}
	for _, c := range []struct{ what, text string }{
		{"title", p.Title}, {"workspace", p.Workspace}, {"program", cmd}, {"folder", p.CWD}, {"pane", strconv.Itoa(int(p.ID))},
	} {
		if strings.Contains(strings.ToLower(c.text), f) {
			return c.what + ": " + Ellipsize(c.text, 60)
		}
	}
	return ""
}

// Home is the user's home folder, for ShortPath.
func Home() string {
	h, _ := os.UserHomeDir()
	return h
}

// MaxTabPanes is the number of panes of the shown workspace's fullest tab:
// above TableThreshold the table is easier to read than the map.
func MaxTabPanes(s monitor.Snapshot, workspace string) int {
	n := 0
	for _, ws := range s.Tree.Workspaces {
		if ws.Name != workspace {
			continue
		}
		for _, win := range ws.Windows {
			for _, t := range win.Tabs {
				n = max(n, len(t.Panes))
			}
		}
	}
	return n
}

// TableThreshold is the pane count above which a tab is shown as a table
// unless the user chose the map.
const TableThreshold = 20

// TileTip is a tile's tooltip: everything about the pane, in full lines,
// and what the mouse does.
func TileTip(m Tile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Pane %d · %s", m.ID, m.Title)
	if m.Badge != nil {
		fmt.Fprintf(&b, "\n%s: %s", m.Badge.Name, m.Badge.Text)
	}
	if m.Spend.Text != "" {
		b.WriteString("\n" + m.Spend.Text)
	}
	if m.Program != "" {
		b.WriteString("\n" + m.Program)
	}
	if m.CWD != "" {
		b.WriteString("\n" + m.CWD)
	}
	fmt.Fprintf(&b, "\nCPU %s · MEM %s", strings.TrimSpace(m.CPU), strings.TrimSpace(m.Mem))
	if m.Focused {
		b.WriteString("\nWezTerm's focused pane")
	}
	b.WriteString("\nClick: select and focus · Ctrl/Shift-click: add to the selection · right-click: actions")
	return b.String()
}
