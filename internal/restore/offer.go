package restore

import (
	"fmt"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// Banner is the window's offer to restore.
type Banner struct {
	// Text is the banner's line: "Restore 4 workspaces, 23 panes, 6
	// agents from 10:42".
	Text string
	// Snapshot is the ID to restore (restore --from).
	Snapshot string
	At       time.Time // when that state was last seen
	Summary  snapshot.Summary
}

// Offer says whether the window offers to restore, and what: when WezTerm
// shows nothing but the pane it opened at its start (one pane, a shell)
// and a snapshot worth restoring exists (snaps newest first, as
// Store.List gives them). The newest one that is not blank is offered.
func Offer(tree topology.Tree, snaps []snapshot.Info, now time.Time) (Banner, bool) {
	if id, _ := blankPane(tree); id == nil {
		return Banner{}, false
	}
	in, ok := newest(snaps)
	if !ok {
		return Banner{}, false
	}
	return Banner{Text: fmt.Sprintf("Restore %s from %s", in.Summary.Describe(), When(in.Confirmed, now)),
		Snapshot: in.ID, At: in.Confirmed, Summary: in.Summary}, true
}

func newest(snaps []snapshot.Info) (snapshot.Info, bool) {
	for _, in := range snaps {
		if in.Err == "" && !in.Blank && in.Summary.Panes > 0 {
			return in, true
		}
	}
	return snapshot.Info{}, false
}

// TrayLabel is the tray menu's restore item ("" : no item): the offer
// when there is one, else "Restore a snapshot…" while any is stored.
func TrayLabel(tree topology.Tree, snaps []snapshot.Info, now time.Time) string {
	if b, ok := Offer(tree, snaps, now); ok {
		return b.Text + "…"
	}
	if _, ok := newest(snaps); ok {
		return "Restore a snapshot…"
	}
	return ""
}

// When says a time the way the banner does: "10:42" today, "yesterday
// 10:42", "Mon 10:42" this week, "2 Dec 10:42" before.
func When(t, now time.Time) string {
	t = t.In(now.Location())
	day := func(x time.Time) time.Time { y, m, d := x.Date(); return time.Date(y, m, d, 0, 0, 0, 0, x.Location()) }
	days := int(day(now).Sub(day(t)).Hours()/24 + 0.5)
	switch {
	case days == 0:
		return t.Format("15:04")
	case days == 1:
		return "yesterday " + t.Format("15:04")
	case days > 1 && days < 7:
		return t.Format("Mon 15:04")
	case t.Year() == now.Year():
		return t.Format("2 Jan 15:04")
	}
	return t.Format("2 Jan 2006 15:04")
}

// Row is one pane of the restore dialog's list, trust-prompt style: where
// it opens and what is typed into it, every piece of text escaped.
type Row struct {
	Workspace string `json:"workspace"` // the target
	Tab       int    `json:"tab"`       // 1-based, within the workspace's windows
	TabTitle  string `json:"tab_title,omitempty"`
	Dir       string `json:"dir"`
	Kind      Kind   `json:"kind"`
	Agent     string `json:"agent,omitempty"`
	Session   string `json:"session,omitempty"`
	Resumed   bool   `json:"resumed,omitempty"`
	Command   string `json:"command,omitempty"`
	Mode      Mode   `json:"mode,omitempty"`
	Why       string `json:"why,omitempty"` // why it runs, waits or is only shown
	// Does says in words what happens ("resumes Claude Code's session
	// 5a3c…", "types 'npm run dev' and waits for your Enter").
	Does string `json:"does"`
	Note string `json:"note,omitempty"`
}

// Rows lists every pane the plan opens, in order.
func (p *Plan) Rows() []Row {
	var out []Row
	for _, wp := range p.Workspaces {
		tab := 0
		for _, win := range wp.Windows {
			for _, tp := range win.Tabs {
				tab++
				for _, pp := range tp.Panes {
					out = append(out, Row{Workspace: wp.Target, Tab: tab, TabTitle: tp.Title, Dir: pp.Dir, Kind: pp.Kind,
						Agent: pp.Agent, Session: pp.Session, Resumed: pp.Resumed, Command: pp.Command, Mode: pp.Mode, Why: pp.Why,
						Does: pp.does(), Note: pp.Note})
				}
			}
		}
	}
	return out
}

// does says what happens in a pane, escaped.
func (pp *PanePlan) does() string {
	cmd := textsafe.Quote(pp.Command)
	switch {
	case pp.Kind == Agent && pp.Resumed && pp.Mode == Runs:
		return fmt.Sprintf("resumes %s's session %s: types %s and Enter", pp.Agent, textsafe.Quote(pp.Session), cmd)
	case pp.Kind == Agent && pp.Mode == Runs:
		return fmt.Sprintf("starts %s afresh: types %s and Enter", pp.Agent, cmd)
	case pp.Mode == Runs:
		return fmt.Sprintf("runs %s: types it and Enter (%s)", cmd, pp.Why)
	case pp.Mode == Waits:
		return fmt.Sprintf("types %s and waits for your Enter", cmd)
	case pp.Mode == Shown:
		return fmt.Sprintf("ran %s: not typed (%s)", cmd, pp.Why)
	case pp.Kind == Remote:
		return "a local shell in its place"
	}
	return "a shell"
}

// Lines describes the plan for the command line and the dialog: per
// workspace what happens to it, then per pane where it opens and what is
// typed (only panes where something is typed or that do not come back as
// they were; the rest are counted).
func (p *Plan) Lines() []string {
	var out []string
	rows := p.Rows()
	for _, wp := range p.Workspaces {
		head := fmt.Sprintf("%s: ", textsafe.Quote(wp.Name))
		switch wp.Action {
		case Create:
			head += "new"
		case Merge:
			if lack := wp.Tabs - wp.Present - wp.Partial; lack > 0 {
				head += fmt.Sprintf("there already: the %d of its %s it lacks are added", lack, plural(wp.Tabs, "tab"))
			} else {
				head += fmt.Sprintf("there already with its %s: nothing to add", plural(wp.Tabs, "tab"))
			}
		case Copy:
			head += "there already: opened again as " + textsafe.Quote(wp.Target)
		case Skip:
			head += "there already: skipped"
		}
		n := 0
		for _, win := range wp.Windows {
			for _, tp := range win.Tabs {
				n += len(tp.Panes)
			}
		}
		if n > 0 {
			head += fmt.Sprintf(" — %s, %s", plural(len(wp.Windows), "window"), plural(n, "pane"))
		}
		out = append(out, head)
		shells, same := 0, 0
		flush := func() {
			// Panes that say the same (a grid of one command) are said once.
			if same > 0 {
				out = append(out, fmt.Sprintf("      and the same in %s", plural(same, "more pane")))
				same = 0
			}
		}
		last := ""
		for _, r := range rows {
			if r.Workspace != wp.Target {
				continue
			}
			if r.Mode == None && r.Note == "" {
				shells++
				continue
			}
			where := fmt.Sprintf("  tab %d", r.Tab)
			if r.TabTitle != "" {
				where += " " + textsafe.Quote(r.TabTitle)
			}
			line := fmt.Sprintf("%s  in %s: %s", where, textsafe.Quote(r.Dir), r.Does)
			if r.Note != "" {
				line += "\n      note: " + r.Note
			}
			if line == last {
				same++
				continue
			}
			flush()
			last = line
			out = append(out, strings.Split(line, "\n")...)
		}
		flush()
		if shells > 0 {
			out = append(out, fmt.Sprintf("  and %s, each in its folder", plural(shells, "shell")))
		}
		for _, n := range wp.Notes {
			if wp.Action == Merge && strings.HasPrefix(n, "tab ") {
				out = append(out, "  note: "+n)
			}
		}
	}
	return out
}

var plural = snapshot.Plural

// Lines says what a restore did, for people.
func (r Report) Lines() []string {
	var out []string
	for _, d := range r.Restored {
		line := fmt.Sprintf("restored %s", textsafe.Quote(d.Name))
		if d.Target != d.Name {
			line += " as " + textsafe.Quote(d.Target)
		}
		line += fmt.Sprintf(": %s, %s, %s", plural(d.Windows, "window"), plural(d.Tabs, "tab"), plural(len(d.Panes), "pane"))
		if d.Agents > 0 {
			line += fmt.Sprintf(", %d of %d agents in their conversations", d.Resumed, d.Agents)
		}
		if d.Waiting > 0 {
			line += fmt.Sprintf(", %s waiting for your Enter", plural(d.Waiting, "command"))
		}
		out = append(out, line)
	}
	for _, n := range r.Unchanged {
		out = append(out, fmt.Sprintf("%s: there already, not changed", textsafe.Quote(n)))
	}
	for _, f := range r.Failed {
		line := fmt.Sprintf("NOT restored %s: %s", textsafe.Quote(f.Name), textsafe.Escape(f.Err))
		if len(f.Closed) > 0 {
			line += fmt.Sprintf(" (the %d panes it had opened were closed again)", len(f.Closed))
		}
		if f.CloseErr != "" {
			line += "; closing them: " + textsafe.Escape(f.CloseErr)
		}
		out = append(out, line)
	}
	for _, n := range r.NotTried {
		out = append(out, fmt.Sprintf("NOT restored %s: not tried after the failure above", textsafe.Quote(n)))
	}
	for _, n := range r.Notes {
		out = append(out, "note: "+n)
	}
	if r.ClosedStartup != nil {
		out = append(out, fmt.Sprintf("closed pane %d, the empty one WezTerm opened at its start", *r.ClosedStartup))
	}
	return out
}

// Blank reports whether tree is WezTerm just started: one pane, a shell
// with nothing else on its terminal (when the window may offer to
// restore). Pure: the window asks it on every snapshot.
func Blank(tree topology.Tree) bool {
	id, _ := blankPane(tree)
	return id != nil
}
