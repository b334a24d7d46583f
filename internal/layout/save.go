package layout

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// shells are foreground programs that mean "nothing runs in this pane".
var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "fish": true, "dash": true, "ksh": true,
	"mksh": true, "tcsh": true, "csh": true, "nu": true, "elvish": true, "xonsh": true, "pwsh": true,
	"powershell": true, "cmd.exe": true, "ash": true, "yash": true}

// FromWorkspace rebuilds a layout from a running workspace: each tab's
// split tree from pane geometry (sizes as percentages), each pane's cwd,
// and, when the foreground program is not a shell, its command line. Tabs
// of several windows are saved one after the other.
func FromWorkspace(ws topology.Workspace, name string) (*Layout, error) {
	l := &Layout{Name: name, Workspace: ws.Name, Description: "Saved from workspace " + ws.Name}
	var cwds []string
	for _, w := range ws.Windows {
		for _, tab := range w.Tabs {
			for _, p := range tab.Panes {
				if d := localDir(p); d != "" {
					cwds = append(cwds, d)
				}
			}
		}
	}
	l.CWD = commonDir(cwds)
	for _, w := range ws.Windows {
		for _, tab := range w.Tabs {
			root, err := TreeOf(tab, func(p topology.Pane) *Node { return leaf(p, l.CWD) })
			if err != nil {
				return nil, fmt.Errorf("tab %d: %w", tab.ID, err)
			}
			t := &Tab{Root: root}
			if tab.TitleSet {
				t.Title = tab.Title
			}
			l.Tabs = append(l.Tabs, t)
		}
	}
	if len(l.Tabs) == 0 {
		return nil, fmt.Errorf("workspace %q has no panes", ws.Name)
	}
	return l, nil
}

// CommonDir is the deepest folder holding every dir ("" for none).
func CommonDir(dirs []string) string { return commonDir(dirs) }

// commonDir is the deepest folder holding every dir.
func commonDir(dirs []string) string {
	if len(dirs) == 0 {
		return ""
	}
	common := filepath.Clean(dirs[0])
	for _, d := range dirs[1:] {
		d = filepath.Clean(d)
		for common != "/" && common != "." && d != common && !strings.HasPrefix(d, common+string(filepath.Separator)) {
			common = filepath.Dir(common)
		}
	}
	return common
}

type rect struct {
	x, y, w, h int
	p          topology.Pane
}

// IsShell reports whether a foreground program (a process name, a login
// shell's "-bash" too) is a shell: nothing else runs in its pane.
func IsShell(name string) bool { return shells[strings.TrimPrefix(name, "-")] }

// TreeOf rebuilds a tab's split tree from its panes' geometry: splits with
// their children's sizes (percentages with two decimals, so a relaunch
// lands within a cell; none for equal shares), each pane's node made by
// leaf. It fails when the panes do not form a tree of splits.
func TreeOf(tab topology.Tab, leaf func(topology.Pane) *Node) (*Node, error) {
	rs := make([]rect, 0, len(tab.Panes))
	for _, p := range tab.Panes {
		rs = append(rs, rect{p.Left, p.Top, p.Cols, p.Rows, p})
	}
	for i, r := range rs {
		if r.p.Zoomed {
			rs[i].w, rs[i].h = unzoomed(rs, i, tab.Cols, tab.Rows)
		}
	}
	cols, rows := 0, 0
	for _, r := range rs {
		cols, rows = max(cols, r.x+r.w), max(rows, r.y+r.h)
	}
	return infer(rs, 0, 0, cols, rows, leaf)
}

// unzoomed estimates a zoomed pane's own size (WezTerm reports the whole
// tab): up to the next pane to its right on its first row, and down to the
// next pane below on its first column; splits are straight cuts, so the
// dividers there are its edges.
func unzoomed(rs []rect, i, tabCols, tabRows int) (int, int) {
	z := rs[i]
	w, h := tabCols-z.x, tabRows-z.y
	for j, r := range rs {
		if j == i {
			continue
		}
		if r.x > z.x && r.y <= z.y && z.y < r.y+r.h {
			w = min(w, r.x-1-z.x)
		}
		if r.y > z.y && r.x <= z.x && z.x < r.x+r.w {
			h = min(h, r.y-1-z.y)
		}
	}
	return w, h
}

func infer(rs []rect, x, y, w, h int, leaf func(topology.Pane) *Node) (*Node, error) {
	if len(rs) == 1 {
		return leaf(rs[0].p), nil
	}
	for _, dir := range []Direction{Right, Down} {
		groups, cuts := cut(rs, dir, x, y, w, h)
		if len(groups) < 2 {
			continue
		}
		n := &Node{Split: dir}
		ext := w
		if dir == Down {
			ext = h
		}
		starts := append([]int{x}, cuts...)
		if dir == Down {
			starts = append([]int{y}, cuts...)
		}
		sizes := make([]int, len(groups))
		for i := range groups {
			end := x + w
			if dir == Down {
				end = y + h
			}
			if i+1 < len(starts) {
				end = starts[i+1] - 1
			}
			sizes[i] = end - starts[i]
			cx, cy, cw, ch := starts[i], y, sizes[i], h
			if dir == Down {
				cx, cy, cw, ch = x, starts[i], w, sizes[i]
			}
			c, err := infer(groups[i], cx, cy, cw, ch, leaf)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, c)
		}
		setSizes(n.Children, sizes, ext)
		return n, nil
	}
	return nil, fmt.Errorf("the panes do not form a tree of splits")
}

// cut splits rects at every divider line crossing the whole region in dir.
func cut(rs []rect, dir Direction, x, y, w, h int) ([][]rect, []int) {
	lo, hi := x, x+w
	pos := func(r rect) (int, int) { return r.x, r.x + r.w }
	if dir == Down {
		lo, hi = y, y+h
		pos = func(r rect) (int, int) { return r.y, r.y + r.h }
	}
	var cuts []int
	for c := lo + 1; c < hi; c++ {
		ok, left, right := true, false, false
		for _, r := range rs {
			a, b := pos(r)
			switch {
			case b <= c-1:
				left = true
			case a >= c:
				right = true
			default:
				ok = false
			}
		}
		// A divider is one cell: the child to the right starts at c.
		if ok && left && right {
			cuts = append(cuts, c)
		}
	}
	// Keep only cuts that start a pane (a pane edge at c).
	var real []int
	for _, c := range cuts {
		for _, r := range rs {
			if a, _ := pos(r); a == c {
				real = append(real, c)
				break
			}
		}
	}
	if len(real) == 0 {
		return nil, nil
	}
	groups := make([][]rect, len(real)+1)
	for _, r := range rs {
		a, _ := pos(r)
		g := sort.SearchInts(real, a+1)
		groups[g] = append(groups[g], r)
	}
	return groups, real
}

// setSizes writes percentages (two decimals, so a relaunch lands within a
// cell) on all but the last child; equal splits get none.
func setSizes(children []*Node, sizes []int, ext int) {
	lo, hi := sizes[0], sizes[0]
	for _, s := range sizes {
		lo, hi = min(lo, s), max(hi, s)
	}
	if hi-lo <= 1 {
		return
	}
	for i := range children[:len(children)-1] {
		children[i].Size = Size{Percent: math.Round(float64(sizes[i])*10000/float64(ext)) / 100}
	}
}

func leaf(p topology.Pane, root string) *Node {
	n := &Node{Focus: p.Focused, Zoom: p.Zoomed}
	if d := localDir(p); d != "" {
		if rel, err := filepath.Rel(root, d); err == nil && root != "" && !strings.HasPrefix(rel, "..") {
			if rel != "." {
				n.CWD = rel
			}
		} else {
			n.CWD = d
		}
	}
	if p.Usage != nil && p.Foreground != nil && !shells[strings.TrimPrefix(p.Foreground.Name, "-")] {
		n.Command = p.Foreground.Cmdline
	}
	return n
}

// ProcCWD reads a local process's working directory ("" when it cannot);
// tests replace it.
var ProcCWD = procCWD

// localDir is the folder on this machine a saved pane starts in, or "".
// A local folder is used as it is. A remote one is never written as a
// local folder: in a pane with a local pty (the user ran `ssh build-box`
// there; WezTerm shows the remote shell's OSC 7) the pane starts where
// its foreground program runs here — the folder ssh was started in, ssh
// itself saved as the command — or, when a local shell is back in the
// foreground after the ssh ended (an OSC 7 left over), where that shell
// is. An unknown folder (a mux or ssh domain pane) is not saved.
func localDir(p topology.Pane) string {
	switch p.Where {
	case "local":
		return p.CWD
	case "remote":
		if p.TTY != nil && *p.TTY != "" && p.Usage != nil && p.Foreground != nil && p.Foreground.PID > 0 {
			return ProcCWD(p.Foreground.PID)
		}
	}
	return ""
}

// Format writes l as a layout file.
func Format(l *Layout, header string) string {
	var b strings.Builder
	if header != "" {
		for _, line := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
			b.WriteString("# " + line + "\n")
		}
	}
	kv := func(indent, k, v string) { fmt.Fprintf(&b, "%s%s = %s\n", indent, k, v) }
	if l.Name != "" {
		kv("", "name", q(l.Name))
	}
	if l.Description != "" {
		kv("", "description", q(l.Description))
	}
	if l.Workspace != "" {
		kv("", "workspace", q(l.Workspace))
	}
	if l.CWD != "" {
		kv("", "cwd", q(l.CWD))
	}
	writeEnv(&b, "", "env", l.Env)
	for _, t := range l.Tabs {
		b.WriteString("\n[[tabs]]\n")
		if t.Title != "" {
			kv("", "title", q(t.Title))
		}
		writeNode(&b, t.Root, "tabs", "")
	}
	return b.String()
}

func writeNode(b *strings.Builder, n *Node, prefix, indent string) {
	kv := func(k, v string) { fmt.Fprintf(b, "%s%s = %s\n", indent, k, v) }
	if s := n.Size.String(); s != "" {
		if n.Size.Cells > 0 {
			kv("size", s)
		} else {
			kv("size", q(s))
		}
	}
	if !n.IsPane() {
		kv("split", q(string(n.Split)))
		for _, c := range n.Children {
			fmt.Fprintf(b, "\n%s  [[%s.panes]]\n", indent, prefix)
			writeNode(b, c, prefix+".panes", indent+"  ")
		}
		return
	}
	if n.Title != "" {
		kv("title", q(n.Title))
	}
	if n.CWD != "" {
		kv("cwd", q(n.CWD))
	}
	if n.Command != "" {
		kv("command", q(n.Command))
	}
	if len(n.Args) > 0 {
		parts := make([]string, len(n.Args))
		for i, a := range n.Args {
			parts[i] = q(a)
		}
		kv("args", "["+strings.Join(parts, ", ")+"]")
	}
	if n.Focus {
		kv("focus", "true")
	}
	if n.Zoom {
		kv("zoom", "true")
	}
	writeEnv(b, indent, "env", n.Env)
}

func writeEnv(b *strings.Builder, indent, key string, env map[string]string) {
	if len(env) == 0 {
		return
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = q(k) + " = " + q(env[k])
	}
	fmt.Fprintf(b, "%s%s = { %s }\n", indent, key, strings.Join(parts, ", "))
}

// q quotes a TOML basic string.
func q(s string) string { return config.Quote(s) }

// ErrExists means a layout of that name is there already (Save without
// force).
var ErrExists = errors.New("a layout of that name exists")

// Save writes workspace ws of tree as layout name in dir, atomically; an
// existing file is replaced only with force. It returns the file's path.
// The command line and the window both save through here.
func Save(tree topology.Tree, ws, name, dir string, force bool, now time.Time) (string, error) {
	if err := ValidFileName(name); err != nil {
		return "", err
	}
	var src *Layout
	found := false
	for _, w := range tree.Workspaces {
		if w.Name == ws {
			found = true
			var err error
			if src, err = FromWorkspace(w, name); err != nil {
				return "", fmt.Errorf("save layout: %w", err)
			}
		}
	}
	if !found {
		return "", fmt.Errorf("no workspace %q", ws)
	}
	path := filepath.Join(dir, name+".toml")
	if _, err := os.Lstat(path); err == nil && !force {
		return path, fmt.Errorf("%s: %w", path, ErrExists)
	}
	text := Format(src, fmt.Sprintf("Saved from workspace %q on %s by wezterm-parallel.", ws, now.Format("2006-01-02 15:04")))
	if err := (config.AtomicWriter{}).WriteFile(path, []byte(text), 0o600); err != nil {
		return "", err
	}
	return path, nil
}
