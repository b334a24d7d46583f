// Package launch turns a layout into an ordered plan of wezterm cli calls
// (one spawn or split per pane, using the ids each call returns; then tab
// titles, typed commands, zoom and focus) and runs it, closing what it
// opened when a step fails.
package launch

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// Kind is what a step does.
type Kind int

// Step kinds.
const (
	Spawn    Kind = iota // first pane of a tab
	Lookup               // list, to learn the new window and its size
	Split                // a further pane
	TabTitle             // set-tab-title
	Type                 // send-text: a command typed into a pane's shell
	Zoom                 // zoom-pane
	Focus                // activate-pane
)

// Step is one wezterm call. Panes are named by their creation order (0 is
// the first pane the launch opens).
type Step struct {
	Kind      Kind
	Pane      int // the pane created (Spawn, Split) or acted on
	From      int // Split: the pane split
	Tab       int
	Dir       layout.Direction
	Cells     int // Split: the new pane's size along Dir
	NewWindow bool
	Workspace string
	CWD       string
	Program   []string // what WezTerm runs (with our env/title wrapper)
	Text      string   // Type: the text sent; TabTitle: the title
	// What the layout asked for, before wrapping, for prompts and
	// progress: the pane's own args, env and title.
	Spec PaneSpec
}

// PaneSpec is what a layout says a new pane runs.
type PaneSpec struct {
	Args  []string // nil: WezTerm's default program (a shell)
	Env   map[string]string
	Title string
}

// Desc describes a step for progress and errors, with symbolic pane names.
// Text from the layout is quoted so control characters show.
func (s Step) Desc() string {
	switch s.Kind {
	case Spawn:
		where := fmt.Sprintf("a new tab in the window of p%d", 0)
		if s.NewWindow {
			where = "a new window in workspace " + textsafe.Quote(s.Workspace)
		}
		return fmt.Sprintf("open p%d in %s (%s)%s", s.Pane, where, textsafe.Escape(s.CWD), progDesc(s.Spec))
	case Lookup:
		return "look up the new window"
	case Split:
		return fmt.Sprintf("split p%d %s: p%d gets %d cells (%s)%s", s.From, s.Dir, s.Pane, s.Cells, textsafe.Escape(s.CWD), progDesc(s.Spec))
	case TabTitle:
		return fmt.Sprintf("title tab %d %s", s.Tab+1, textsafe.Quote(s.Text))
	case Type:
		return fmt.Sprintf("type %s into p%d", textsafe.Quote(strings.TrimSuffix(s.Text, "\r")), s.Pane)
	case Zoom:
		return fmt.Sprintf("zoom p%d", s.Pane)
	case Focus:
		return fmt.Sprintf("focus p%d", s.Pane)
	}
	return "?"
}

func progDesc(ps PaneSpec) string {
	if len(ps.Args) == 0 {
		return ""
	}
	return " running " + textsafe.Join(ps.Args)
}

// Plan is a layout as steps, for a tab of Cols×Rows cells.
type Plan struct {
	Layout     *layout.Layout
	Steps      []Step
	Cols, Rows int
	Panes      int
	// Leaves are the layout's panes by plan pane number (what Result.Panes
	// gives the WezTerm id of).
	Leaves []*layout.Node
	opts   Options
}

// Options shape a plan.
type Options struct {
	// Workspace replaces the layout's workspace.
	Workspace string
	// Vars fill ${agent_command} and friends.
	Vars layout.Vars
	// Cols and Rows are the tab size the plan assumes until the first pane
	// reports the real one (default 160x48).
	Cols, Rows int
}

// Make plans l.
func Make(l *layout.Layout, o Options) (*Plan, error) {
	if o.Cols == 0 || o.Rows == 0 {
		o.Cols, o.Rows = 160, 48
	}
	p := &Plan{Layout: l, Cols: o.Cols, Rows: o.Rows, opts: o}
	ws := l.Workspace
	if o.Workspace != "" {
		ws = o.Workspace
	}
	if ws == "" {
		ws = "default"
	}
	leafOf := map[int]*layout.Node{}
	var tabFirst []int
	for ti, tab := range l.Tabs {
		first := tab.Root.Leaves()[0]
		id := p.Panes
		p.Panes++
		leafOf[id] = first
		tabFirst = append(tabFirst, id)
		s := Step{Kind: Spawn, Pane: id, Tab: ti, CWD: l.PaneCWD(first), Program: program(l, first, o.Vars), Spec: spec(l, first, o.Vars)}
		if ti == 0 {
			s.NewWindow, s.Workspace = true, ws
		}
		p.Steps = append(p.Steps, s)
		if ti == 0 {
			p.Steps = append(p.Steps, Step{Kind: Lookup, Pane: id})
		}
		if err := p.build(tab.Root, id, o.Cols, o.Rows, ti, leafOf); err != nil {
			return nil, fmt.Errorf("tab %d: %w", ti+1, err)
		}
	}
	for ti, tab := range l.Tabs {
		if tab.Title != "" {
			p.Steps = append(p.Steps, Step{Kind: TabTitle, Pane: tabFirst[ti], Tab: ti, Text: tab.Title})
		}
	}
	ids := make([]int, 0, len(leafOf))
	for id := range leafOf {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	p.Leaves = make([]*layout.Node, p.Panes)
	for id, n := range leafOf {
		p.Leaves[id] = n
	}
	focus := 0
	if setup := strings.TrimSpace(l.Setup); setup != "" {
		// The setup (copy .env, install dependencies…) runs first, in the
		// first pane's shell, before any command.
		p.Steps = append(p.Steps, Step{Kind: Type, Pane: 0, Text: setup + "\r"})
	}
	for _, id := range ids {
		n := leafOf[id]
		if cmd := strings.TrimSpace(o.Vars.Expand(n.Command)); cmd != "" {
			p.Steps = append(p.Steps, Step{Kind: Type, Pane: id, Text: cmd + "\r"})
		}
		if n.Focus {
			focus = id
		}
	}
	for _, id := range ids {
		if leafOf[id].Zoom {
			p.Steps = append(p.Steps, Step{Kind: Zoom, Pane: id})
		}
	}
	p.Steps = append(p.Steps, Step{Kind: Focus, Pane: focus})
	return p, nil
}

// build adds the splits that lay out n inside pane id (cols×rows).
func (p *Plan) build(n *layout.Node, id, cols, rows, tab int, leafOf map[int]*layout.Node) error {
	if n.IsPane() {
		leafOf[id] = n
		return nil
	}
	ext := cols
	if n.Split == layout.Down {
		ext = rows
	}
	sizes, ok := layout.Extents(ext, n.Children)
	if !ok {
		return fmt.Errorf("a %dx%d area is too small for %d panes side by side", cols, rows, len(n.Children))
	}
	panes := []int{id}
	region := id
	for i := 1; i < len(n.Children); i++ {
		rest := len(n.Children) - i - 1 // dividers between the remaining children
		for _, s := range sizes[i:] {
			rest += s
		}
		first := n.Children[i].Leaves()[0]
		q := p.Panes
		p.Panes++
		p.Steps = append(p.Steps, Step{Kind: Split, Pane: q, From: region, Tab: tab, Dir: n.Split, Cells: rest,
			CWD: p.Layout.PaneCWD(first), Program: program(p.Layout, first, p.opts.Vars), Spec: spec(p.Layout, first, p.opts.Vars)})
		panes = append(panes, q)
		region = q
	}
	for i, c := range n.Children {
		cc, rr := cols, rows
		if n.Split == layout.Right {
			cc = sizes[i]
		} else {
			rr = sizes[i]
		}
		if err := p.build(c, panes[i], cc, rr, tab, leafOf); err != nil {
			return err
		}
	}
	return nil
}

// spec is what the layout asks pane n to run, variables expanded.
func spec(l *layout.Layout, n *layout.Node, vars layout.Vars) PaneSpec {
	var args []string
	for _, a := range n.Args {
		args = append(args, vars.Expand(a))
	}
	env := map[string]string{}
	for k, v := range l.Env {
		env[k] = v
	}
	for k, v := range n.Env {
		env[k] = v
	}
	return PaneSpec{Args: args, Env: env, Title: n.Title}
}

// EnvKeys returns the spec's env keys, sorted.
func (ps PaneSpec) EnvKeys() []string {
	keys := make([]string, 0, len(ps.Env))
	for k := range ps.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// program is what a pane runs: its args, or (nil) WezTerm's default
// program. Env and a title need a small wrapper: `env -- K=V …` and an OSC
// title printed by sh before it execs the program (or the user's shell).
// "--" ends env's options, so no key can be read as one (keys are checked
// to be variable names as well); a program whose name holds "=" goes
// through sh, or env would take it for one more assignment.
func program(l *layout.Layout, n *layout.Node, vars layout.Vars) []string {
	ps := spec(l, n, vars)
	args := ps.Args
	if ps.Title == "" && len(ps.Env) == 0 {
		return args
	}
	var argv []string
	if len(ps.Env) > 0 {
		argv = append(argv, "env", "--")
		for _, k := range ps.EnvKeys() {
			argv = append(argv, k+"="+ps.Env[k])
		}
	}
	run := `exec "${SHELL:-/bin/sh}" -l`
	if len(args) > 0 {
		run = `exec "$@"`
	}
	if ps.Title == "" {
		if len(args) > 0 && (!strings.Contains(args[0], "=") || len(ps.Env) == 0) {
			return append(argv, args...)
		}
		if len(args) > 0 {
			return append(append(argv, "sh", "-c", run, "sh"), args...)
		}
		return append(argv, "sh", "-c", run)
	}
	if len(args) > 0 {
		run = `shift; exec "$@"`
	}
	argv = append(argv, "sh", "-c", `printf '\033]0;%s\007' "$1"; `+run, "sh", ps.Title)
	return append(argv, args...)
}

// Human says what a step does in the user's words, for progress ("Opening
// pane 3 of 4"); Desc is the exact, technical version for errors.
func (s Step) Human(panes int) string {
	switch s.Kind {
	case Spawn:
		if s.NewWindow {
			return "Opening a window in workspace " + textsafe.Quote(s.Workspace)
		}
		return fmt.Sprintf("Opening tab %d", s.Tab+1)
	case Lookup:
		return "Measuring the new window"
	case Split:
		return fmt.Sprintf("Opening pane %d of %d", s.Pane+1, panes)
	case TabTitle:
		return fmt.Sprintf("Naming tab %d", s.Tab+1)
	case Type:
		cmd := strings.Fields(strings.TrimSpace(s.Text))
		what := "the command"
		if len(cmd) > 0 {
			what = textsafe.Quote(cmd[0])
		}
		return fmt.Sprintf("Starting %s in pane %d", what, s.Pane+1)
	case Zoom:
		return fmt.Sprintf("Zooming pane %d", s.Pane+1)
	case Focus:
		return fmt.Sprintf("Focusing pane %d", s.Pane+1)
	}
	return "Working"
}
