// Package layout reads layout files: tabs of panes, each tab a tree of
// splits, with cwd, env, a command typed into the shell or a program run
// directly, focus and zoom. Problems are reported with FILE:LINE:COL.
package layout

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// Layout is a parsed layout file.
type Layout struct {
	Name        string
	Description string
	Workspace   string // target workspace ("" = WezTerm's "default")
	CWD         string // root cwd as written ("" = the launch's cwd)
	Env         map[string]string
	Tabs        []*Tab
	// Source is where the layout came from (a path, or "bundled").
	Source string
	// Dir is the folder relative cwds of the layout file resolve against.
	Dir string
	// DefaultRoot is the root cwd when the layout sets none ("" = the
	// process's working directory).
	DefaultRoot string

	// Fan-out: Copies copies of the layout, each in its own git worktree
	// on a new branch (Branch, with {layout} and {n}), with WP_COPY=n and
	// PORT=PortBase+n in its env, and Setup typed into its first pane.
	Worktree bool
	Copies   int
	Branch   string
	Setup    string
	PortBase int
}

// Tab is one tab: a title and a tree of panes.
type Tab struct {
	Title string
	Root  *Node
}

// Direction of a split: children are laid out left to right, or top to
// bottom.
type Direction string

// Split directions.
const (
	Right Direction = "right"
	Down  Direction = "down"
)

// Node is a split (Split set, two or more Children) or a pane.
type Node struct {
	Split    Direction
	Children []*Node
	Size     Size // this node's size in its parent split

	// Pane fields.
	Title   string
	CWD     string
	Env     map[string]string
	Command string   // typed into the shell: the shell stays when it ends
	Args    []string // run directly
	Focus   bool
	Zoom    bool

	path string // key path, for messages
}

// IsPane reports whether n is a leaf.
func (n *Node) IsPane() bool { return n.Split == "" }

// Leaves returns the panes under n in order (left to right, top to bottom).
func (n *Node) Leaves() []*Node {
	if n.IsPane() {
		return []*Node{n}
	}
	var out []*Node
	for _, c := range n.Children {
		out = append(out, c.Leaves()...)
	}
	return out
}

// Size is a share of the parent split: a percentage, or exact cells. The
// zero value shares what is left equally.
type Size struct {
	Percent float64
	Cells   int
}

func (s Size) String() string {
	switch {
	case s.Cells > 0:
		return strconv.Itoa(s.Cells)
	case s.Percent > 0:
		return strconv.FormatFloat(s.Percent, 'f', -1, 64) + "%"
	}
	return ""
}

// Vars are the ${name} variables commands and args may use.
type Vars map[string]string

var varRE = regexp.MustCompile(`\$\{([a-z_]+)\}`)

// knownVars are the variables a layout may name.
var knownVars = map[string]bool{"agent_command": true}

var (
	topKeys  = []string{"name", "description", "workspace", "cwd", "env", "tabs", "worktree", "copies", "branch", "setup", "port_base"}
	tabKeys  = []string{"title", "split", "panes", "grid", "pane", "cwd", "env", "command", "args", "focus", "zoom"}
	nodeKeys = []string{"split", "panes", "size", "title", "cwd", "env", "command", "args", "focus", "zoom"}
	paneKeys = []string{"title", "cwd", "env", "command", "args", "focus", "zoom"}
)

// CheckOptions control checks that look at the file system.
type CheckOptions struct {
	// CWD replaces the layout's root cwd (launch --cwd).
	CWD string
	// DefaultRoot is the root cwd when the layout sets none: a project
	// layout's folder, or the preferences' default_cwd.
	DefaultRoot string
	// SkipDirs skips the check that cwd folders exist (plans for another
	// machine, golden tests).
	SkipDirs bool
}

// Parse reads a layout. name is used when the file sets none. Every
// problem found is returned, positioned, as config.Problems.
func Parse(file string, data []byte, name string, o CheckOptions) (*Layout, error) {
	d, err := config.ParseDoc(file, data)
	if err != nil {
		return nil, err
	}
	l := &Layout{Name: name, Source: file, Dir: filepath.Dir(file), DefaultRoot: o.DefaultRoot}
	root := d.Root()
	root.String("name", &l.Name)
	root.String("description", &l.Description)
	if root.String("workspace", &l.Workspace) && strings.TrimSpace(l.Workspace) == "" {
		d.Errorf("workspace", "workspace must not be empty (leave it out for WezTerm's default)")
	}
	root.String("cwd", &l.CWD)
	root.StringMap("env", &l.Env)
	root.Bool("worktree", &l.Worktree)
	root.Int("copies", &l.Copies)
	root.String("branch", &l.Branch)
	root.String("setup", &l.Setup)
	l.PortBase = 3000
	root.Int("port_base", &l.PortBase)
	switch {
	case l.Worktree && (l.Copies < 1 || l.Copies > 16):
		d.Errorf("copies", "worktree = true needs copies = 1..16, not %d", l.Copies)
	case !l.Worktree && root.Has("copies"):
		d.Errorf("copies", "copies needs worktree = true (each copy gets its own git worktree)")
	}
	if l.Branch == "" {
		l.Branch = "wp/{layout}-{n}"
	} else if !strings.Contains(l.Branch, "{n}") {
		d.Errorf("branch", "branch %q must contain {n}, so each copy gets its own branch", l.Branch)
	}
	if l.Worktree {
		// The name becomes a folder beside the repository and part of each
		// branch: it must not climb out of either.
		if err := ValidName(l.Name); err != nil {
			at := "name"
			if !root.Has("name") {
				at = "worktree"
			}
			d.Errorf(at, "%v (fan-out folders are named after the layout)", err)
		} else if err := validBranch(strings.NewReplacer("{layout}", l.Name, "{n}", "1").Replace(l.Branch)); err != nil {
			at := "branch"
			if !root.Has("branch") {
				at = "name"
			}
			d.Errorf(at, "%v", err)
		}
	}
	checkEnv(d, "env", l.Env)
	tabs, ok := root.Array("tabs")
	if !ok && !root.Has("tabs") {
		d.Errorf("name", "a layout needs at least one [[tabs]]")
	}
	for _, t := range tabs {
		l.Tabs = append(l.Tabs, parseTab(d, t))
	}
	root.Unknown(false, topKeys...)
	if o.CWD != "" {
		l.CWD = o.CWD
	}
	validate(d, l, o)
	if ps := d.Sorted(); len(ps.Errors()) > 0 {
		return nil, ps.Errors()
	}
	return l, nil
}

func parseTab(d *config.Doc, t *config.Table) *Tab {
	tab := &Tab{}
	t.String("title", &tab.Title)
	var grid string
	if t.String("grid", &grid) {
		spec := &Node{path: t.KeyPath("pane")}
		if p, ok := t.Sub("pane"); ok {
			spec = parsePane(d, p)
		}
		for _, k := range []string{"split", "panes", "command", "args"} {
			if t.Has(k) {
				d.Errorf(t.KeyPath(k), "%s cannot be used with grid: put the pane in [tabs.pane]", k)
			}
		}
		root, err := expandGrid(grid, spec)
		if err != nil {
			d.Errorf(t.KeyPath("grid"), "%v", err)
			root = &Node{path: t.Path()}
		}
		tab.Root = root
		t.Unknown(false, tabKeys...)
		return tab
	}
	// The tab is itself the root node; its title is the tab's.
	tab.Root = parseNode(d, t, true)
	return tab
}

func parsePane(d *config.Doc, t *config.Table) *Node {
	n := &Node{path: t.Path()}
	readPaneKeys(d, t, n)
	t.Unknown(false, paneKeys...)
	return n
}

func readPaneKeys(d *config.Doc, t *config.Table, n *Node) {
	t.String("cwd", &n.CWD)
	t.StringMap("env", &n.Env)
	checkEnv(d, t.KeyPath("env"), n.Env)
	t.String("command", &n.Command)
	t.Strings("args", &n.Args)
	t.Bool("focus", &n.Focus)
	t.Bool("zoom", &n.Zoom)
	if t.Has("command") && t.Has("args") {
		d.Errorf(t.KeyPath("args"), "a pane has either command (typed into its shell) or args (run directly), not both")
	}
	if t.Has("args") && len(n.Args) == 0 {
		d.Errorf(t.KeyPath("args"), "args must not be empty")
	}
}

// checkEnv reports env keys that are not environment variable names.
func checkEnv(d *config.Doc, path string, env map[string]string) {
	for k := range env {
		if !envName.MatchString(k) {
			d.Errorf(path+"."+k, "env key %s is not a variable name (letters, digits and _, not starting with a digit)", textsafe.Quote(k))
		}
	}
}

func parseNode(d *config.Doc, t *config.Table, isTab bool) *Node {
	n := &Node{path: t.Path()}
	if !isTab {
		t.String("title", &n.Title)
		readSize(d, t, n)
	}
	var split string
	hasSplit := t.String("split", &split)
	children, hasPanes := t.Array("panes")
	switch {
	case hasSplit:
		switch Direction(split) {
		case Right, Down:
			n.Split = Direction(split)
		default:
			d.Errorf(t.KeyPath("split"), "split must be \"right\" or \"down\", not %q", split)
			n.Split = Right
		}
		if len(children) < 2 && t.Has("panes") || !t.Has("panes") {
			d.Errorf(t.KeyPath("split"), "empty split: a split needs at least two panes")
		}
		for _, c := range children {
			n.Children = append(n.Children, parseNode(d, c, false))
		}
		for _, k := range []string{"command", "args", "focus", "zoom", "env"} {
			if t.Has(k) {
				d.Errorf(t.KeyPath(k), "%s belongs on a pane, not on a split", k)
			}
		}
		if t.Has("cwd") {
			d.Errorf(t.KeyPath("cwd"), "cwd belongs on a pane (or on the layout), not on a split")
		}
		if isTab {
			t.Unknown(false, tabKeys...)
		} else {
			t.Unknown(false, nodeKeys...)
		}
	case hasPanes || t.Has("panes"):
		d.Errorf(t.KeyPath("panes"), "panes without split: say split = \"right\" or \"down\"")
	default:
		readPaneKeys(d, t, n)
		if isTab {
			t.Unknown(false, tabKeys...)
		} else {
			t.Unknown(false, nodeKeys...)
		}
	}
	return n
}

var percentRE = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$`)

func readSize(d *config.Doc, t *config.Table, n *Node) {
	if !t.Has("size") {
		return
	}
	path := t.KeyPath("size")
	raw, _ := t.Raw("size")
	switch v := raw.(type) {
	case int64:
		if v < 1 {
			d.Errorf(path, "size %d: cells must be at least 1", v)
			return
		}
		n.Size = Size{Cells: int(v)}
	case string:
		s := v
		m := percentRE.FindStringSubmatch(s)
		if m == nil {
			d.Errorf(path, "size %q: write a percentage like \"30%%\" or a number of cells like 40", s)
			return
		}
		p, _ := strconv.ParseFloat(m[1], 64)
		if p < 1 || p > 99 {
			d.Errorf(path, "size %s is out of 1..99%%", s)
			return
		}
		n.Size = Size{Percent: p}
	default:
		d.Errorf(path, "size must be a percentage like \"30%%\" or a number of cells, not %v", raw)
	}
}

// expandGrid turns "COLSxROWS" into columns split right, each split down.
func expandGrid(grid string, spec *Node) (*Node, error) {
	var cols, rows int
	if _, err := fmt.Sscanf(strings.TrimSpace(grid), "%dx%d", &cols, &rows); err != nil || fmt.Sprintf("%dx%d", cols, rows) != strings.TrimSpace(grid) {
		return nil, fmt.Errorf("grid %q: write COLUMNSxROWS, like \"2x2\" or \"3x1\"", grid)
	}
	if cols < 1 || rows < 1 || cols > 8 || rows > 8 {
		return nil, fmt.Errorf("grid %q: columns and rows must be 1..8", grid)
	}
	pane := func() *Node {
		c := *spec
		c.Focus, c.Zoom = false, false
		return &c
	}
	column := func() *Node {
		if rows == 1 {
			return pane()
		}
		n := &Node{Split: Down, path: spec.path}
		for range rows {
			n.Children = append(n.Children, pane())
		}
		return n
	}
	if cols == 1 {
		r := column()
		r.Leaves()[0].Focus = spec.Focus
		return r, nil
	}
	root := &Node{Split: Right, path: spec.path}
	for range cols {
		root.Children = append(root.Children, column())
	}
	root.Leaves()[0].Focus = spec.Focus
	return root, nil
}

// validate checks what spans nodes: focus and zoom counts, sizes adding
// up, variables, and that cwd folders exist.
func validate(d *config.Doc, l *Layout, o CheckOptions) {
	focused := 0
	for _, tab := range l.Tabs {
		if tab.Root == nil {
			continue
		}
		zoomed := 0
		walk(tab.Root, func(n *Node) {
			if !n.IsPane() {
				total := 0.0
				for _, c := range n.Children {
					total += c.Size.Percent
				}
				if total >= 100 {
					d.Errorf(n.path, "the sizes of this split's panes add up to %g%%; leave room for the others", total)
				}
				return
			}
			if n.Focus {
				focused++
				if focused == 2 {
					d.Errorf(n.path+".focus", "two panes have focus = true; only one can have the focus")
				}
			}
			if n.Zoom {
				zoomed++
				if zoomed == 2 {
					d.Errorf(n.path+".zoom", "two panes of one tab have zoom = true")
				}
			}
			for _, s := range append([]string{n.Command}, n.Args...) {
				for _, m := range varRE.FindAllStringSubmatch(s, -1) {
					if !knownVars[m[1]] {
						d.Errorf(n.path, "unknown variable ${%s} (known: ${agent_command})", m[1])
					}
				}
			}
			if !o.SkipDirs {
				dir := l.PaneCWD(n)
				if st, err := os.Stat(dir); err != nil || !st.IsDir() {
					at := n.path + ".cwd"
					if n.CWD == "" {
						at = "cwd"
					}
					d.Errorf(at, "cwd %s: no such directory", dir)
				}
			}
		})
	}
}

func walk(n *Node, f func(*Node)) {
	f(n)
	for _, c := range n.Children {
		walk(c, f)
	}
}

// RootCWD is the folder pane cwds are relative to: the layout's cwd
// (relative to the layout file's folder, ~ expanded), else DefaultRoot,
// else the working directory.
func (l *Layout) RootCWD() string {
	root := config.ExpandHome(os.ExpandEnv(l.CWD))
	if root == "" {
		root = config.ExpandHome(l.DefaultRoot)
	}
	if root == "" {
		root, _ = os.Getwd()
	}
	if !filepath.IsAbs(root) {
		root = filepath.Join(l.Dir, root)
	}
	return filepath.Clean(root)
}

// PaneCWD is a pane's absolute cwd.
func (l *Layout) PaneCWD(n *Node) string {
	root := l.RootCWD()
	c := config.ExpandHome(os.ExpandEnv(n.CWD))
	switch {
	case c == "":
		return root
	case filepath.IsAbs(c):
		return filepath.Clean(c)
	}
	return filepath.Join(root, c)
}

// Expand substitutes ${vars} in s.
func (v Vars) Expand(s string) string {
	return varRE.ReplaceAllStringFunc(s, func(m string) string { return v[m[2:len(m)-1]] })
}
