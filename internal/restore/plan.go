// Package restore rebuilds a snapshot's working set in WezTerm: each
// workspace with its windows, tabs and splits at their sizes (on top of
// internal/launch's planner, which opens them), each pane in its folder,
// each agent resumed in its conversation, other programs typed at their
// pane's prompt for the user's Enter unless allowed. NewPlan decides
// (pure but for looking at folders and the agents' session files), Run
// carries the plan out through the wezterm client, Offer says when the
// window offers it. No Fyne here: the window and the tray call these.
package restore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Action is what happens to a snapshot's workspace.
type Action string

// Actions. A workspace that is not there is created; for one that is, the
// user chooses (the default is Merge, which makes restoring twice the same
// as once).
const (
	Create Action = "create" // not there: built whole
	Merge  Action = "merge"  // there: the tabs it lacks are added (in a new window of it)
	Copy   Action = "copy"   // there: built whole again under another name
	Skip   Action = "skip"   // left alone
)

// ParseAction reads merge, copy or skip (the command line, the dialog).
func ParseAction(s string) (Action, error) {
	switch a := Action(strings.ToLower(strings.TrimSpace(s))); a {
	case Merge, Copy, Skip:
		return a, nil
	}
	return "", fmt.Errorf("%q: want merge, copy or skip", s)
}

// Kind is what a pane was.
type Kind string

// Kinds of panes.
const (
	Shell   Kind = "shell"
	Agent   Kind = "agent"
	Program Kind = "program"
	Remote  Kind = "remote" // its folder was on another machine
)

// Mode is what happens to a pane's command line.
type Mode string

// Modes.
const (
	None  Mode = ""      // nothing is typed: a shell comes back as a shell
	Runs  Mode = "runs"  // typed with Enter (agents; programs the user allowed)
	Waits Mode = "waits" // typed without Enter: it waits at the prompt for the user
	Shown Mode = "shown" // not typed at all (control characters, cut short): only shown
)

// Options shape a plan.
type Options struct {
	// Workspaces restores only these (none: every one).
	Workspaces []string
	// Existing says what to do with each workspace that is there already,
	// by name; "" is the default for the others (unset: Merge).
	Existing map[string]Action
	// Allowed are command lines that run without the user's Enter: the
	// preferences' [restore] run, and those ticked in the dialog. An entry
	// may end in " *" (any arguments) or be a pattern with * in it.
	Allowed []string
	// RunAll runs every program (the dialog's "run all").
	RunAll bool
	// Rules recognise agents and say how each resumes.
	Rules []agents.Rule
	// Sessions looks for the agents' sessions on disk.
	Sessions Sessions
	// Home is the folder of last resort.
	Home string
	// KeepBlank keeps the pane WezTerm opened at its start (by default it
	// is closed once everything is restored, when it still holds only its
	// shell).
	KeepBlank bool
	// DirExists checks folders (nil: os.Stat).
	DirExists func(string) bool
	// Resolve follows symbolic links when comparing folders (nil:
	// filepath.EvalSymlinks).
	Resolve func(string) (string, error)
}

// Plan is what a restore will do.
type Plan struct {
	Snapshot   *snapshot.Snapshot
	Workspaces []*WorkspacePlan
	// Blank is the pane WezTerm opened at its start, closed at the end
	// (nil: none, or kept).
	Blank *wezterm.PaneID
}

// WorkspacePlan is one snapshot workspace.
type WorkspacePlan struct {
	Name   string // in the snapshot
	Target string // where it is restored (Copy: a new name)
	Exists bool   // a workspace of that name is there
	Action Action
	Root   string // where panes whose folder is gone open
	// Windows to open (Merge: the tabs it lacks, in a new window).
	Windows []*WindowPlan
	// Tabs counts the snapshot's tabs; Present those already there
	// (Merge), Partial those partly there (left as they are).
	Tabs, Present, Partial int
	Notes                  []string
}

// WindowPlan is one window to open.
type WindowPlan struct {
	Title      string
	Cols, Rows int
	Tabs       []*TabPlan
}

// TabPlan is one tab to open.
type TabPlan struct {
	Title string
	Node  *snapshot.Node // the split tree
	Panes []*PanePlan    // in the tree's order
}

// PanePlan is one pane to open.
type PanePlan struct {
	Kind Kind
	Dir  string // the folder it opens in
	// Note says why it does not open as it was ("" : it does): a folder
	// gone, a remote folder, a session gone.
	Note string
	// Agent and Session: the agent and the session it resumes ("" : none:
	// it starts afresh, Note saying why).
	Agent, Session string
	Resumed        bool
	// Command is what is typed (Mode: with Enter or not, or only shown).
	Command string
	Mode    Mode
	// Why says why it runs or waits ("agent", "restore.run", "run all").
	Why     string
	Focused bool
	Zoomed  bool
	From    *snapshot.Pane
}

// ErrNothing: the plan restores nothing (everything is there, or skipped).
var ErrNothing = errors.New("nothing to restore")

// NewPlan decides how snapshot s comes back into WezTerm as it is now
// (current). It reads the disk (do it off the UI goroutine): whether each
// folder exists, and each agent's session file.
func NewPlan(s *snapshot.Snapshot, current topology.Tree, o Options) (*Plan, error) {
	if s == nil || len(s.Workspaces) == 0 {
		return nil, errors.New("the snapshot holds no workspace")
	}
	if o.DirExists == nil {
		o.DirExists = func(d string) bool { st, err := os.Stat(d); return err == nil && st.IsDir() }
	}
	if o.Resolve == nil {
		o.Resolve = filepath.EvalSymlinks
	}
	if o.Home == "" {
		o.Home, _ = os.UserHomeDir()
	}
	want := map[string]bool{}
	for _, w := range o.Workspaces {
		found := false
		for _, ws := range s.Workspaces {
			found = found || ws.Name == w
		}
		if !found {
			var names []string
			for _, ws := range s.Workspaces {
				names = append(names, textsafe.Quote(ws.Name))
			}
			return nil, fmt.Errorf("the snapshot has no workspace %s (it has %s)", textsafe.Quote(w), strings.Join(names, ", "))
		}
		want[w] = true
	}
	p := &Plan{Snapshot: s}
	blank, blankWS := blankPane(current)
	if blank != nil && !o.KeepBlank {
		p.Blank = blank
	}
	here := map[string]topology.Workspace{}
	for _, ws := range current.Workspaces {
		if blank != nil && ws.Name == blankWS {
			continue // the start-up pane is not a workspace of the user's
		}
		here[ws.Name] = ws
	}
	taken := map[string]bool{}
	for n := range here {
		taken[n] = true
	}
	for _, ws := range s.Workspaces {
		if len(want) > 0 && !want[ws.Name] {
			continue
		}
		wp := planWorkspace(ws, here, taken, o)
		p.Workspaces = append(p.Workspaces, wp)
	}
	return p, nil
}

// blankPane is the pane of a WezTerm that has just started: the only pane,
// a shell with nothing else on its terminal (or nothing known of it).
func blankPane(t topology.Tree) (*wezterm.PaneID, string) {
	ps := t.Panes()
	if len(ps) != 1 {
		return nil, ""
	}
	p := ps[0]
	if p.Agent != nil {
		return nil, ""
	}
	if u := p.Usage; u != nil && u.Foreground != nil {
		if !layout.IsShell(u.Foreground.Name) || u.ProcessCount != nil && *u.ProcessCount > 1 {
			return nil, ""
		}
	}
	id := p.ID
	return &id, p.Workspace
}

func planWorkspace(ws snapshot.Workspace, here map[string]topology.Workspace, taken map[string]bool, o Options) *WorkspacePlan {
	wp := &WorkspacePlan{Name: ws.Name, Target: ws.Name, Action: Create}
	cur, exists := here[ws.Name]
	wp.Exists = exists
	if exists {
		wp.Action = o.Existing[ws.Name]
		if wp.Action == "" {
			wp.Action = o.Existing[""]
		}
		if wp.Action == "" || wp.Action == Create {
			wp.Action = Merge
		}
	}
	if wp.Action == Copy {
		wp.Target = copyName(ws.Name, taken)
	}
	taken[wp.Target] = true
	wp.Root = rootOf(ws, o)
	if wp.Action == Skip {
		for _, w := range ws.Windows {
			wp.Tabs += len(w.Tabs)
		}
		return wp
	}
	// Current tabs a merge can find the snapshot's in.
	var curTabs []topology.Tab
	if wp.Action == Merge {
		for _, w := range cur.Windows {
			curTabs = append(curTabs, w.Tabs...)
		}
	}
	used := make([]bool, len(curTabs))
	resolved := map[string]string{}
	resolve := func(d string) string {
		if r, ok := resolved[d]; ok {
			return r
		}
		r, err := o.Resolve(d)
		if err != nil {
			r = filepath.Clean(d)
		}
		resolved[d] = r
		return r
	}
	for _, w := range ws.Windows {
		win := &WindowPlan{Title: w.Title}
		for _, t := range w.Tabs {
			wp.Tabs++
			tp := &TabPlan{Title: t.Title, Node: t.Root}
			for _, sp := range t.Panes() {
				tp.Panes = append(tp.Panes, planPane(sp, wp, o))
			}
			if wp.Action == Merge {
				best, n := -1, 0
				for i, ct := range curTabs {
					if used[i] {
						continue
					}
					if m := matches(tp, ct, resolve); m > n {
						best, n = i, m
					}
				}
				switch {
				case n == len(tp.Panes):
					used[best] = true
					wp.Present++
					continue
				case n > 0:
					used[best] = true
					wp.Partial++
					wp.Notes = append(wp.Notes, fmt.Sprintf("%s: %d of its %d panes are there; left as it is (open as a copy to have it whole)",
						tabName(t, wp.Tabs), n, len(tp.Panes)))
					continue
				}
			}
			if win.Cols == 0 {
				win.Cols, win.Rows = t.Cols, t.Rows
			}
			win.Tabs = append(win.Tabs, tp)
		}
		if len(win.Tabs) > 0 {
			wp.Windows = append(wp.Windows, win)
		}
	}
	for _, win := range wp.Windows {
		for _, tp := range win.Tabs {
			for _, pp := range tp.Panes {
				if pp.Note != "" {
					wp.Notes = append(wp.Notes, pp.Note)
				}
			}
		}
	}
	return wp
}

func tabName(t snapshot.Tab, n int) string {
	if t.Title != "" {
		return "tab " + textsafe.Quote(t.Title)
	}
	return fmt.Sprintf("tab %d", n)
}

// matches counts the snapshot tab's panes found in a current tab: a pane
// is there when a pane of the tab (each counted once) is in the folder it
// would open in. What runs in it is not compared: a program waiting at
// the prompt, or an agent not started yet, is the restore's own doing.
func matches(tp *TabPlan, ct topology.Tab, resolve func(string) string) int {
	have := map[string]int{}
	for _, p := range ct.Panes {
		if p.CWD != "" && p.Host == "" {
			have[resolve(p.CWD)]++
		}
	}
	n := 0
	for _, pp := range tp.Panes {
		k := resolve(pp.Dir)
		if have[k] > 0 {
			have[k]--
			n++
		}
	}
	return n
}

// copyName is "NAME (restored)", or "NAME (restored N)", not taken.
func copyName(name string, taken map[string]bool) string {
	c := name + " (restored)"
	for n := 2; taken[c]; n++ {
		c = fmt.Sprintf("%s (restored %d)", name, n)
	}
	return c
}

// rootOf is the workspace's root: the deepest folder holding its panes'
// folders that still exist (not /), else the first of them, else the home
// folder.
func rootOf(ws snapshot.Workspace, o Options) string {
	var dirs []string
	for _, w := range ws.Windows {
		for _, t := range w.Tabs {
			for _, p := range t.Panes() {
				if p.Place == snapshot.Local && p.Dir != "" && o.DirExists(p.Dir) {
					dirs = append(dirs, p.Dir)
				}
			}
		}
	}
	if len(dirs) > 0 {
		root := layout.CommonDir(dirs)
		if root != "" && root != "/" && root != "." {
			return root
		}
		return dirs[0]
	}
	return o.Home
}

// planPane decides where a pane opens and what is typed into it.
func planPane(sp *snapshot.Pane, wp *WorkspacePlan, o Options) *PanePlan {
	pp := &PanePlan{Kind: Shell, Dir: wp.Root, From: sp, Focused: sp.Focused, Zoomed: sp.Zoomed}
	where := fmt.Sprintf("%s: a pane", textsafe.Quote(wp.Target))
	switch sp.Place {
	case snapshot.Local:
		if o.DirExists(sp.Dir) {
			pp.Dir = sp.Dir
		} else {
			pp.Note = fmt.Sprintf("%s in %s: that folder is gone; it opens in %s", where, textsafe.Quote(sp.Dir), textsafe.Quote(wp.Root))
		}
	case snapshot.Remote:
		pp.Kind = Remote
		at := sp.Host
		if sp.RemoteDir != "" {
			at += ":" + sp.RemoteDir
		}
		pp.Note = fmt.Sprintf("%s was on %s: not opened there (nothing remote is spawned here); a local shell keeps its place in %s",
			where, textsafe.Quote(at), textsafe.Quote(wp.Root))
	default:
		if sp.RemoteDir != "" {
			pp.Note = fmt.Sprintf("%s in %s (not known to be on this machine): it opens in %s", where, textsafe.Quote(sp.RemoteDir), textsafe.Quote(wp.Root))
		}
	}
	if sp.Agent != nil && sp.Place != snapshot.Remote {
		if r := ruleByName(o.Rules, sp.Agent.Name); r != nil && (r.Resume != "" || r.Start != "") {
			planAgent(pp, sp, r, where, o)
			return pp
		}
	}
	if sp.Program == nil {
		return pp
	}
	if pp.Kind != Remote {
		pp.Kind = Program
		if r, ok := agents.Match(o.Rules, sp.Program.Name, sp.Program.Cmdline); ok && r.Start != "" && sp.Agent == nil {
			// An agent the snapshot did not know as one (an imported state).
			planAgent(pp, sp, r, where, o)
			return pp
		}
	}
	pp.Command = sp.Program.Cmdline
	switch {
	case sp.Program.Cut:
		pp.Mode, pp.Why = Shown, "its command line was too long to keep whole"
	case !typeable(pp.Command):
		pp.Mode, pp.Why = Shown, "its command line holds control characters"
	case o.RunAll:
		pp.Mode, pp.Why = Runs, "run all"
	case allowed(o.Allowed, pp.Command):
		pp.Mode, pp.Why = Runs, "restore.run"
	default:
		pp.Mode, pp.Why = Waits, "waits for your Enter"
	}
	if pp.Mode == Shown {
		note := fmt.Sprintf("%s ran %s: not typed (%s)", where, textsafe.Quote(pp.Command), pp.Why)
		pp.Note = strings.TrimPrefix(pp.Note+"; "+note, "; ")
	}
	return pp
}

// planAgent: the agent comes back in its conversation, or afresh.
func planAgent(pp *PanePlan, sp *snapshot.Pane, r *agents.Rule, where string, o Options) {
	pp.Kind, pp.Agent, pp.Mode, pp.Why = Agent, r.Name, Runs, "agent"
	cmdline := ""
	if sp.Program != nil && !sp.Program.Cut {
		cmdline = withoutResume(sp.Program.Cmdline)
	}
	session := ""
	if sp.Agent != nil {
		session = sp.Agent.Session
	}
	fresh := ""
	switch {
	case r.Resume == "":
		fresh = fmt.Sprintf("%s does not say how it resumes", r.Name)
	case session == "":
		fresh = "no session was recorded"
	case !ValidSession(session):
		fresh = "its recorded session id is not one an agent writes"
	default:
		if ok, why := o.Sessions.Exists(r.Usage, session, pp.Dir); ok {
			pp.Session, pp.Resumed = session, true
			pp.Command = expand(r.Resume, session, cmdline)
		} else {
			fresh = fmt.Sprintf("session %s is gone (%s)", session, why)
		}
	}
	if !pp.Resumed {
		pp.Command = expand(r.Start, "", cmdline)
		note := fmt.Sprintf("%s: %s starts afresh — %s", where, r.Name, fresh)
		if session == "" {
			note = fmt.Sprintf("%s: %s starts afresh (%s)", where, r.Name, fresh)
		}
		pp.Note = strings.TrimPrefix(pp.Note+"; "+note, "; ")
	}
	switch {
	case strings.TrimSpace(pp.Command) == "":
		pp.Mode, pp.Command = None, ""
		pp.Note = strings.TrimPrefix(pp.Note+fmt.Sprintf("; %s: its command line was not recorded: only a shell opens", where), "; ")
	case !typeable(pp.Command):
		pp.Mode, pp.Why = Shown, "its command line holds control characters"
	}
}

// expand fills a start or resume template.
func expand(tmpl, session, cmdline string) string {
	if strings.Contains(tmpl, "{cmdline}") && cmdline == "" {
		return ""
	}
	return strings.NewReplacer("{session}", session, "{cmdline}", cmdline).Replace(tmpl)
}

// withoutResume drops an earlier "--resume ID" from a command line (an
// agent restored before carries its old one).
func withoutResume(cmdline string) string {
	f := strings.Fields(cmdline)
	out := f[:0:0]
	for i := 0; i < len(f); i++ {
		switch {
		case f[i] == "--resume" && i+1 < len(f):
			i++
		case strings.HasPrefix(f[i], "--resume="):
		default:
			out = append(out, f[i])
		}
	}
	if len(out) == len(f) {
		return cmdline // keep the user's own quoting and spacing
	}
	return strings.Join(out, " ")
}

func ruleByName(rules []agents.Rule, name string) *agents.Rule {
	for i := range rules {
		if rules[i].Name == name {
			return &rules[i]
		}
	}
	return nil
}

// typeable: a command line that can be typed into a shell as it is — no
// control character that a terminal or a line editor would act on.
func typeable(s string) bool {
	if s == "" || len(s) > 4096 {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return false
		}
	}
	return textsafe.IsClean(s)
}

// allowed reports whether cmd matches an entry of [restore] run: equal (up
// to spaces), or a pattern where * stands for anything.
func allowed(list []string, cmd string) bool {
	norm := strings.Join(strings.Fields(cmd), " ")
	for _, a := range list {
		a = strings.Join(strings.Fields(a), " ")
		if a == "" {
			continue
		}
		if a == norm {
			return true
		}
		if strings.Contains(a, "*") && globMatch(a, norm) {
			return true
		}
	}
	return false
}

// globMatch matches * against any run of characters (slashes included,
// unlike path.Match).
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, p)
		}
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return true
}

// Summary counts what a plan opens.
type Summary struct {
	Workspaces int `json:"workspaces"`
	Windows    int `json:"windows"`
	Tabs       int `json:"tabs"`
	Panes      int `json:"panes"`
	Agents     int `json:"agents"`
	Resumed    int `json:"resumed"`
	Runs       int `json:"runs"`  // programs started (allowed)
	Waits      int `json:"waits"` // programs at their prompt
}

// Summary counts what p opens.
func (p *Plan) Summary() Summary {
	var m Summary
	for _, wp := range p.Workspaces {
		if len(wp.Windows) > 0 {
			m.Workspaces++
		}
		for _, w := range wp.Windows {
			m.Windows++
			m.Tabs += len(w.Tabs)
			for _, t := range w.Tabs {
				for _, pp := range t.Panes {
					m.Panes++
					switch {
					case pp.Kind == Agent:
						m.Agents++
						if pp.Resumed {
							m.Resumed++
						}
					case pp.Mode == Runs:
						m.Runs++
					case pp.Mode == Waits:
						m.Waits++
					}
				}
			}
		}
	}
	return m
}

// Notes lists what does not come back as it was, workspace by workspace.
func (p *Plan) Notes() []string {
	var out []string
	for _, wp := range p.Workspaces {
		switch {
		case wp.Action == Skip:
			out = append(out, fmt.Sprintf("%s is there already: skipped", textsafe.Quote(wp.Name)))
		case wp.Action == Merge && len(wp.Windows) == 0 && wp.Partial == 0:
			out = append(out, fmt.Sprintf("%s is there already with all its %s: nothing to add", textsafe.Quote(wp.Name), snapshot.Plural(wp.Tabs, "tab")))
		case wp.Action == Copy:
			out = append(out, fmt.Sprintf("%s is there already: opened again as %s", textsafe.Quote(wp.Name), textsafe.Quote(wp.Target)))
		}
		out = append(out, wp.Notes...)
	}
	return out
}

// Empty reports whether p opens nothing.
func (p *Plan) Empty() bool { return p.Summary().Panes == 0 }

// Describe says what a plan opens, for people: "3 workspaces, 9 panes, 2
// agents back in their conversations, 1 program started, 1 waiting for
// your Enter".
func (m Summary) Describe() string {
	parts := []string{plural(m.Workspaces, "workspace"), plural(m.Panes, "pane")}
	switch {
	case m.Agents == 1 && m.Resumed == 1:
		parts = append(parts, "1 agent back in its conversation")
	case m.Agents > 0 && m.Resumed == m.Agents:
		parts = append(parts, plural(m.Agents, "agent")+" back in their conversations")
	case m.Agents > 0:
		parts = append(parts, fmt.Sprintf("%s (%d back in their conversations, the others afresh)", plural(m.Agents, "agent"), m.Resumed))
	}
	if m.Runs > 0 {
		parts = append(parts, plural(m.Runs, "program")+" started")
	}
	if m.Waits > 0 {
		parts = append(parts, fmt.Sprintf("%d waiting for your Enter", m.Waits))
	}
	return strings.Join(parts, ", ")
}
