package viewmodel

import (
	"fmt"
	"github.com/wezterm-parallel/wezterm-parallel/internal/status"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Attention is one agent waiting for the user, for the header's "needs
// you" list: who, where, and for how long.
type Attention struct {
	Pane   wezterm.PaneID
	Label  string // "Claude Code · pane 4"
	Waited string // "3m"
	Where  string // workspace
}

// Header is the top line: the connection, the machine's numbers in fixed
// width, and who needs the user.
type Header struct {
	Connection string
	// Reachable: no WezTerm fix to offer (it answered, or the picture is
	// stale because the tray process stopped answering, not WezTerm).
	Reachable bool
	CPU, Mem  string
	Attention []Attention
	// Today is today's spend of every agent ("" : none); TodayRole its
	// colour against the daily budget (set with TodayOf).
	Today     string
	TodayRole Role
}

// HeaderOf builds the header. retryIn is how long until the next attempt
// while WezTerm is not reachable.
func HeaderOf(s monitor.Snapshot, now time.Time, retryIn time.Duration) Header {
	h := Header{Reachable: s.Status == monitor.Connected || s.Status == monitor.Stale, Connection: status.Line(s, max(retryIn, time.Millisecond))}
	// The machine's totals, coarse and in fixed width: whole percent and
	// tenths of a GiB change rarely, so an idle tick redraws nothing.
	h.CPU, h.Mem = "CPU    –", "MEM     –"
	if sys := s.Tree.System; sys != nil {
		h.CPU = "CPU    …"
		if sys.CPUPercent != nil {
			h.CPU = fmt.Sprintf("CPU %3.0f%%", *sys.CPUPercent)
		}
		h.Mem = fmt.Sprintf("MEM %5.1f / %.1f GiB", float64(sys.MemUsedBytes)/(1<<30), float64(sys.MemTotalBytes)/(1<<30))
	}
	h.Today, h.TodayRole = TodayOf(s.Tree.SpendToday, 0)
	byID := map[wezterm.PaneID]topology.Pane{}
	for _, p := range s.Tree.Panes() {
		byID[p.ID] = p
	}
	for _, id := range s.Attention {
		p := byID[id]
		a := Attention{Pane: id, Where: Ellipsize(p.Workspace, 30), Label: fmt.Sprintf("%s · pane %d", Ellipsize(p.Title, 24), id)}
		if p.Agent != nil {
			a.Label = fmt.Sprintf("%s · pane %d", Ellipsize(p.Agent.Name, 24), id)
			a.Waited = Waited(now.Sub(p.Agent.Since))
		}
		h.Attention = append(h.Attention, a)
	}
	return h
}

// RetryText is "4 s", never less than "1 s".
func RetryText(d time.Duration) string { return status.Retry(d) }

// WorkspaceItem is one entry of the sidebar.
type WorkspaceItem struct {
	Name     string // as WezTerm knows it (selection key)
	Label    string // escaped, ellipsized
	Panes    int
	Numbers  string // "CPU  12% · 1.2G", fixed width
	Visible  bool   // the GUI shows it
	NeedsYou int    // agents waiting in it
	Spend    string // its agents' spend ("" : none)
}

// Sidebar lists the workspaces with a pane passing the filter.
func Sidebar(s monitor.Snapshot, filter string) []WorkspaceItem {
	var out []WorkspaceItem
	for _, ws := range s.Tree.Workspaces {
		var cpu float64
		var mem uint64
		shown, needs := 0, 0
		for _, win := range ws.Windows {
			for _, t := range win.Tabs {
				for _, p := range t.Panes {
					if !Matches(p, filter) {
						continue
					}
					shown++
					if p.Usage != nil && p.CPUPercent != nil {
						cpu += *p.CPUPercent
					}
					if p.Usage != nil && p.RSSBytes != nil {
						mem += *p.RSSBytes
					}
					if p.Agent != nil && p.Agent.Status == agents.Waiting {
						needs++
					}
				}
			}
		}
		if shown == 0 {
			continue
		}
		label := WorkspaceName(ws.Name)
		if label == "" {
			label = `""` // a workspace really named "", not "default"
		}
		out = append(out, WorkspaceItem{Name: ws.Name, Label: Ellipsize(label, 28), Panes: ws.PaneCount(),
			Numbers: fmt.Sprintf("%4.0f%% · %s", cpu, CompactMem(&mem)), Visible: ws.Visible, NeedsYou: needs,
			Spend: workspaceSpend(ws)})
	}
	return out
}

// Column of the table.
type Column int

// Columns, in display order: what the user called the pane first (as
// btop and Activity Monitor lead with the name), then the numbers the
// table is for, then the rest.
const (
	ColTitle Column = iota
	ColCPU
	ColMem
	ColSpend
	ColAgent
	ColProgram
	ColWorkspace
	ColPane
	ColProcs
	ColCWD
	ColMatch // why the filter matched (shown only while filtering)
	NumColumns
)

// Headers are the column titles.
var Headers = [NumColumns]string{"Title", "CPU", "Memory", "Spend", "Agent", "Program", "Workspace", "Pane", "Procs", "Folder", "Matched"}

// Numeric columns read in fixed-width digits and sort largest first.
func (c Column) Numeric() bool {
	return c == ColCPU || c == ColMem || c == ColProcs || c == ColSpend || c == ColPane
}

// Row is one pane in the table; Cells are display text, the rest sort keys.
type Row struct {
	Pane   wezterm.PaneID
	Cells  [NumColumns]string
	Roles  [NumColumns]Role
	title  string
	cpu    float64
	mem    uint64
	procs  int
	status int
	spend  float64 // cost; -1 unknown, -2 none
}

var statusRank = map[agents.Status]int{agents.Waiting: 0, agents.Working: 1, agents.Idle: 2, agents.Exited: 3}

// Table is what the table shows: the rows, and which columns (Spend and
// Agent only when some row has one; Matched only while filtering).
type Table struct {
	Rows    []Row
	Columns []Column
}

// TableOf lists the panes of workspace ("" = all) passing the filter,
// sorted by col (desc for largest first), with the pane budget marking
// the Spend column.
func TableOf(s monitor.Snapshot, workspace, filter, home string, now time.Time, col Column, desc bool, budget float64) Table {
	rows := RowsBudget(s, workspace, filter, home, now, col, desc, budget)
	var cols []Column
	for c := Column(0); c < NumColumns; c++ {
		switch c {
		case ColSpend, ColAgent, ColMatch:
			if !slices.ContainsFunc(rows, func(r Row) bool { return r.Cells[c] != "" }) {
				continue
			}
		}
		cols = append(cols, c)
	}
	return Table{Rows: rows, Columns: cols}
}

// RowsBudget is the table's rows (TableOf without the columns).
func RowsBudget(s monitor.Snapshot, workspace, filter, home string, now time.Time, col Column, desc bool, budget float64) []Row {
	var out []Row
	for _, p := range s.Tree.Panes() {
		why := MatchWhy(p, filter)
		if workspace != "" && p.Workspace != workspace || why == "" {
			continue
		}
		r := Row{Pane: p.ID, status: 9, spend: -2}
		for i := range r.Roles {
			r.Roles[i] = RoleText
		}
		if filter != "" {
			r.Cells[ColMatch], r.Roles[ColMatch] = why, RoleMuted
		}
		r.title = strings.ToLower(p.Title)
		r.Cells[ColTitle] = Ellipsize(p.Title, 60)
		r.Cells[ColPane] = fmt.Sprintf("%5d", p.ID)
		r.Cells[ColWorkspace] = Ellipsize(p.Workspace, 24)
		r.Cells[ColCWD] = Ellipsize(ShortPath(p.CWD, home), 40)
		r.Roles[ColCWD] = RoleMuted
		if b := BadgeOf(p.Agent, now); b != nil {
			r.Cells[ColAgent] = b.Name + ": " + b.Text
			r.Roles[ColAgent] = b.Role
			r.status = statusRank[b.Status]
		}
		t := TileOf(p, nil, Options{Home: home})
		r.Cells[ColProgram] = Ellipsize(t.Program, 40)
		r.Cells[ColCPU], r.Cells[ColMem] = t.CPU, t.Mem
		if sp := SpendOf(p.Spend, budget); sp.Short != "" {
			r.Cells[ColSpend], r.Roles[ColSpend] = sp.Text, sp.Role
			r.spend = -1
			if p.Spend.CostUSD != nil {
				r.spend = *p.Spend.CostUSD
			}
		}
		r.cpu = t.CPUValue
		if u := p.Usage; u != nil {
			if u.RSSBytes != nil {
				r.mem = *u.RSSBytes
			}
			if u.ProcessCount != nil {
				r.procs = *u.ProcessCount
				r.Cells[ColProcs] = fmt.Sprintf("%5d", r.procs)
			}
		}
		out = append(out, r)
	}
	less := func(a, b Row) bool {
		switch col {
		case ColTitle:
			return a.title < b.title
		case ColWorkspace:
			return a.Cells[ColWorkspace] < b.Cells[ColWorkspace]
		case ColProgram:
			return strings.ToLower(a.Cells[ColProgram]) < strings.ToLower(b.Cells[ColProgram])
		case ColAgent:
			return a.status < b.status
		case ColCPU:
			return a.cpu < b.cpu
		case ColMem:
			return a.mem < b.mem
		case ColProcs:
			return a.procs < b.procs
		case ColSpend:
			return a.spend < b.spend
		case ColCWD:
			return a.Cells[ColCWD] < b.Cells[ColCWD]
		case ColMatch:
			return a.Cells[ColMatch] < b.Cells[ColMatch]
		}
		return a.Pane < b.Pane
	}
	sort.SliceStable(out, func(i, j int) bool {
		if desc {
			if less(out[j], out[i]) {
				return true
			}
			if less(out[i], out[j]) {
				return false
			}
		} else {
			if less(out[i], out[j]) {
				return true
			}
			if less(out[j], out[i]) {
				return false
			}
		}
		return out[i].Pane < out[j].Pane
	})
	return out
}

// Detail is the detail panel: everything about one pane, in full.
type Detail struct {
	Pane                     wezterm.PaneID
	Heading                  string // "Pane 4 · title"
	Program, CWD, Where, TTY string
	Numbers                  string
	Badge                    *Badge
	Why                      string // the signal behind the agent's status
	Procs                    []string
}

// DetailOf describes pane id, or false when it is not in the tree.
func DetailOf(s monitor.Snapshot, id wezterm.PaneID, now time.Time) (Detail, bool) {
	for _, p := range s.Tree.Panes() {
		if p.ID != id {
			continue
		}
		d := Detail{Pane: id, Heading: fmt.Sprintf("Pane %d · %s", id, Ellipsize(p.Title, 200)), CWD: Ellipsize(p.CWD, 400),
			Where: fmt.Sprintf("workspace %s · %d×%d at %d,%d", Ellipsize(p.Workspace, 60), p.Cols, p.Rows, p.Left, p.Top),
			Badge: BadgeOf(p.Agent, now)}
		if p.Host != "" {
			d.CWD = Ellipsize(p.Host+":"+p.CWD, 400)
		}
		if p.TTY != nil {
			d.TTY = Ellipsize(*p.TTY, 60)
		}
		if p.Agent != nil {
			d.Why = Ellipsize(p.Agent.Why, 200)
		}
		if u := p.Usage; u != nil {
			if u.Foreground != nil {
				d.Program = Ellipsize(u.Foreground.Cmdline, 400)
			}
			procs := "– processes"
			if u.ProcessCount != nil {
				procs = fmt.Sprintf("%d processes", *u.ProcessCount)
				if *u.ProcessCount == 1 {
					procs = "1 process"
				}
			}
			if u.RSSBytes != nil {
				d.Numbers = fmt.Sprintf("CPU %s · memory %s · %s", strings.TrimSpace(CPUText(u.CPUPercent)), metrics.HumanBytes(*u.RSSBytes), procs)
			}
		}
		if s.Detail == id {
			for _, pr := range s.DetailProcs {
				cpu := "    –"
				if pr.CPUPercent != nil {
					cpu = fmt.Sprintf("%4.0f%%", *pr.CPUPercent)
				}
				d.Procs = append(d.Procs, fmt.Sprintf("%s%-7d %s %9s  %s", strings.Repeat("  ", min(pr.Depth, 6)), pr.PID, cpu,
					metrics.HumanBytes(pr.RSS), Ellipsize(pr.Cmdline, 80)))
			}
		}
		return d, true
	}
	return Detail{}, false
}

// Selection is the user's choice of workspace and panes, kept honest
// against each snapshot: it follows its pane or is cleared.
type Selection struct {
	Workspace string
	Detail    wezterm.PaneID
	HasDetail bool
	// DetailTTY is the detail pane's tty when chosen: a pane id that now
	// names another pane (WezTerm restarted) does not keep the selection.
	DetailTTY string
	Multi     map[wezterm.PaneID]bool
	// UserChose: the user picked it (otherwise it follows the
	// workspace WezTerm shows).
	UserChose bool
}

// Follow adjusts the selection to a (connected) tree: a workspace that is
// gone falls back to the one WezTerm shows (or the first); a selected pane
// that is gone, or not in the shown workspace, is cleared.
func (sel *Selection) Follow(t topology.Tree) {
	has := func(name string) bool {
		for _, ws := range t.Workspaces {
			if ws.Name == name {
				return true
			}
		}
		return false
	}
	if !sel.UserChose || !has(sel.Workspace) {
		sel.Workspace, sel.UserChose = t.GUIWorkspace, false
		if !has(sel.Workspace) {
			sel.Workspace = ""
			if len(t.Workspaces) > 0 {
				sel.Workspace = t.Workspaces[0].Name
			}
		}
	}
	inWS := map[wezterm.PaneID]bool{}
	tty := map[wezterm.PaneID]string{}
	for _, p := range t.Panes() {
		if p.Workspace == sel.Workspace {
			inWS[p.ID] = true
			if p.TTY != nil {
				tty[p.ID] = *p.TTY
			}
		}
	}
	if sel.HasDetail && (!inWS[sel.Detail] || sel.DetailTTY != "" && tty[sel.Detail] != sel.DetailTTY) {
		sel.HasDetail, sel.Detail, sel.DetailTTY = false, 0, ""
	}
	for id := range sel.Multi {
		if !inWS[id] {
			delete(sel.Multi, id)
		}
	}
}

// Choose shows a workspace by the user's choice (it stays until the
// workspace goes away).
func (sel *Selection) Choose(workspace string) {
	sel.Workspace, sel.UserChose = workspace, true
}

// Select makes id the detail pane (tty: its tty now, "" unknown) and
// empties the multi-selection.
func (sel *Selection) Select(id wezterm.PaneID, tty string) {
	sel.Multi = map[wezterm.PaneID]bool{}
	sel.Detail, sel.HasDetail, sel.DetailTTY = id, true, tty
}

// Toggle adds id to the multi-selection or takes it out; the detail pane
// joins when the multi-selection starts.
func (sel *Selection) Toggle(id wezterm.PaneID) {
	if sel.Multi == nil {
		sel.Multi = map[wezterm.PaneID]bool{}
	}
	if sel.Multi[id] {
		delete(sel.Multi, id)
		return
	}
	sel.Multi[id] = true
	if sel.HasDetail && len(sel.Multi) == 1 && sel.Detail != id {
		sel.Multi[sel.Detail] = true
	}
}

// Add puts panes into the multi-selection.
func (sel *Selection) Add(ids ...wezterm.PaneID) {
	if sel.Multi == nil {
		sel.Multi = map[wezterm.PaneID]bool{}
	}
	for _, id := range ids {
		sel.Multi[id] = true
	}
}

// Drop forgets a pane (it is being killed).
func (sel *Selection) Drop(id wezterm.PaneID) {
	if sel.HasDetail && sel.Detail == id {
		sel.HasDetail, sel.Detail, sel.DetailTTY = false, 0, ""
	}
	delete(sel.Multi, id)
}

// Targets are the selected panes of t in its order, or the detail pane
// alone: where a broadcast goes.
func (sel *Selection) Targets(t topology.Tree) []wezterm.PaneID {
	var ids []wezterm.PaneID
	for _, p := range t.Panes() {
		if sel.Multi[p.ID] {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 && sel.HasDetail {
		ids = []wezterm.PaneID{sel.Detail}
	}
	return ids
}

// Empty is what the centre says when it has no pane to show: what is
// wrong and the ways forward (action ids of the window: "set-path",
// "start", "demo", "clear-filter"), as Zellij and GitHub Desktop put a
// single call to action in the middle of an empty window.
type Empty struct {
	Title, Text string
	Actions     []string
}

// EmptyOf says why nothing is shown: WezTerm missing or silent, a filter
// that matches nothing, or a workspace without panes. ok is false when
// there is something to show.
func EmptyOf(s monitor.Snapshot, stale bool, shown int, filter string) (Empty, bool) {
	if shown > 0 {
		return Empty{}, false
	}
	switch {
	case s.Time.IsZero() && s.Version == "" && s.Status == monitor.Connected:
		return Empty{Title: "Looking for WezTerm…"}, true // no snapshot yet
	case s.Status == monitor.NotInstalled:
		return Empty{Title: "WezTerm is not installed — or not where this app looks",
			Text:    "Tell the app where the wezterm binary is, or try the app on a stand-in WezTerm with real programs on real terminals.",
			Actions: []string{"set-path", "demo"}}, true
	case s.Status == monitor.NotRunning && !stale:
		return Empty{Title: "WezTerm is not running",
			Text:    "Start it, and its workspaces show here by themselves. Or try the demo: a stand-in WezTerm with real programs.",
			Actions: []string{"start", "demo"}}, true
	case s.Status == monitor.Failing && !stale:
		why := "it gives errors"
		if s.Err != nil {
			why = Ellipsize(s.Err.Error(), 200)
		}
		return Empty{Title: "WezTerm does not answer", Text: why + ". The app keeps trying.", Actions: []string{"start"}}, true
	case s.Status == monitor.Connected && filter != "":
		return Empty{Title: "No pane matches " + strconv.Quote(Ellipsize(filter, 40)),
			Text: "The filter looks in titles, workspaces, programs, folders and pane numbers.", Actions: []string{"clear-filter"}}, true
	case s.Status == monitor.Connected:
		return Empty{Title: "No panes here", Text: "This workspace has no panes. Pick another on the left, or launch a layout (Ctrl+L)."}, true
	}
	return Empty{Title: "Looking for WezTerm…"}, true
}
