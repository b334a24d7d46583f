//go:build unix

package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
)

// Cell size used to report pixel sizes, as a 96-dpi GUI with an 8x16 font.
const (
	cellW = 8
	cellH = 16
	dpi   = 96
)

type window struct {
	id        int
	workspace string
	title     string // set-window-title; "" when never set
	titleSeq  uint64
	tabs      []*tab
	activeTab int
	cols      int
	rows      int
}

func (w *window) setTitle(t string) { w.title, w.titleSeq = t, titleSeq.Add(1) }

// windowTitle is the mux window's title: the latest of set-window-title
// and the OSC 0/2 titles its panes sent.
func (s *Server) windowTitle(w *window) string {
	title, seq := w.title, w.titleSeq
	for _, t := range w.tabs {
		for _, p := range t.panes() {
			p.mu.Lock()
			if p.scr.winTitleSeq > seq {
				title, seq = p.scr.title, p.scr.winTitleSeq
			}
			p.mu.Unlock()
		}
	}
	return title
}

type tab struct {
	id     int
	win    *window
	title  string
	root   *node
	active *pane
	zoomed *pane
	size   size
}

type axis int

const (
	sideBySide axis = iota // left | right (WezTerm "Horizontal")
	stacked                // top / bottom (WezTerm "Vertical")
)

// size is a TerminalSize in cells.
type size struct{ cols, rows int }

// Windows start at WezTerm's default initial_cols × initial_rows
// (config/src/config.rs); a GUI then resizes them to its window.
const (
	initialCols = 80
	initialRows = 24
)

// node is a split-tree node (WezTerm's bintree of mux/src/tab.rs): a leaf
// holds a pane; a split holds two children separated by a one-cell divider
// and, as WezTerm's SplitDirectionAndSize does, the sizes of both.
type node struct {
	parent        *node
	pane          *pane
	axis          axis
	a, b          *node
	first, second size
	// Layout result.
	x, y, w, h int
}

func (n *node) leaves(f func(*pane)) {
	if n == nil {
		return
	}
	if n.pane != nil {
		f(n.pane)
		return
	}
	n.a.leaves(f)
	n.b.leaves(f)
}

// minSize is compute_min_size (mux/src/tab.rs).
func (n *node) minSize() (int, int) {
	if n.pane != nil {
		return 1, 1
	}
	ax, ay := n.a.minSize()
	bx, by := n.b.minSize()
	if n.axis == stacked {
		return max(ax, bx), ay + by + 1
	}
	return ax + bx + 1, max(ay, by)
}

// adjustX is adjust_x_size (mux/src/tab.rs): across a side-by-side split
// the change goes one cell at a time, alternating first and second; along
// a stacked split both children take it whole. Not proportional.
func (n *node) adjustX(d int) {
	minX, _ := n.minSize()
	for d != 0 {
		if n.pane != nil {
			return
		}
		switch {
		case n.axis == stacked:
			cols := max(n.first.cols+d, minX)
			d = cols - n.first.cols
			if d != 0 {
				n.a.adjustX(d)
				n.first.cols = cols
				n.b.adjustX(d)
				n.second.cols = cols
			}
			return
		case d > 0:
			n.a.adjustX(1)
			n.first.cols++
			d--
			if d > 0 {
				n.b.adjustX(1)
				n.second.cols++
				d--
			}
		default:
			moved := false
			if n.first.cols > 1 {
				n.a.adjustX(-1)
				n.first.cols--
				d++
				moved = true
			}
			if d < 0 && n.second.cols > 1 {
				n.b.adjustX(-1)
				n.second.cols--
				d++
				moved = true
			}
			if !moved {
				return // WezTerm would spin here; the minimum size guards it
			}
		}
	}
}

// adjustY is adjust_y_size, adjustX's twin for rows.
func (n *node) adjustY(d int) {
	_, minY := n.minSize()
	for d != 0 {
		if n.pane != nil {
			return
		}
		switch {
		case n.axis == sideBySide:
			rows := max(n.first.rows+d, minY)
			d = rows - n.first.rows
			if d != 0 {
				n.a.adjustY(d)
				n.first.rows = rows
				n.b.adjustY(d)
				n.second.rows = rows
			}
			return
		case d > 0:
			n.a.adjustY(1)
			n.first.rows++
			d--
			if d > 0 {
				n.b.adjustY(1)
				n.second.rows++
				d--
			}
		default:
			moved := false
			if n.first.rows > 1 {
				n.a.adjustY(-1)
				n.first.rows--
				d++
				moved = true
			}
			if d < 0 && n.second.rows > 1 {
				n.b.adjustY(-1)
				n.second.rows--
				d++
				moved = true
			}
			if !moved {
				return
			}
		}
	}
}

// extent is the size the tree spans: the tab's for a single pane, else
// what its top split records (which can differ from the tab's recorded
// size, see insertSplit).
func (n *node) extent(tabSize size) size {
	switch {
	case n.pane != nil:
		return tabSize
	case n.axis == sideBySide:
		return size{n.first.cols + 1 + n.second.cols, max(n.first.rows, n.second.rows)}
	}
	return size{max(n.first.cols, n.second.cols), n.first.rows + 1 + n.second.rows}
}

// place is apply_sizes_from_splits with positions: each child gets the
// size its parent recorded for it.
func (n *node) place(x, y int, sz size) {
	n.x, n.y, n.w, n.h = x, y, sz.cols, sz.rows
	if n.pane != nil {
		return
	}
	n.a.place(x, y, n.first)
	if n.axis == sideBySide {
		n.b.place(x+n.first.cols+1, y, n.second)
	} else {
		n.b.place(x, y+n.first.rows+1, n.second)
	}
}

// cascade is apply_pane_size over a subtree after its size changed at the
// top (adjust-pane-size): each split keeps its first child and gives the
// second the rest.
func (n *node) cascade(sz size) {
	if n.pane != nil {
		return
	}
	if n.axis == sideBySide {
		n.first.rows, n.second.rows = sz.rows, sz.rows
		n.second.cols = max(0, sz.cols-1-n.first.cols)
	} else {
		n.first.cols, n.second.cols = sz.cols, sz.cols
		n.second.rows = max(0, sz.rows-1-n.first.rows)
	}
	n.a.cascade(n.first)
	n.b.cascade(n.second)
}

// splitRequest mirrors WezTerm's SplitRequest.
type splitRequest struct {
	axis     axis
	second   bool // the new pane goes right/below
	cells    int  // 0 = use percent
	percent  int
	topLevel bool
}

// splitDimension is split_dimension (mux/src/tab.rs): the new pane gets
// percent of the extent (at least one cell), the divider one cell, the old
// pane the rest.
func splitDimension(ext int, r splitRequest) (newSize, oldSize int, err error) {
	target := r.cells
	if target == 0 {
		p := r.percent
		if p == 0 {
			p = 50
		}
		target = ext * p / 100
	}
	target = max(target, 1)
	if ext < target+2 {
		return 0, 0, fmt.Errorf("No space for split!")
	}
	return target, ext - target - 1, nil
}

// insertSplit is split_and_insert (mux/src/tab.rs): the new pane p goes
// beside target (a leaf), or, for a top-level split of a tab with several
// panes, beside the whole tree, which is first resized (one cell at a time)
// into the space left. The active pane: the new one for right/bottom; for
// left/top the active index stays, whichever pane now holds it.
func (t *tab) insertSplit(target *node, p *pane, r splitRequest) error {
	tsz := size{target.w, target.h}
	if r.topLevel && t.root.pane == nil {
		tsz = t.size
	}
	ext := tsz.cols
	if r.axis == stacked {
		ext = tsz.rows
	}
	newSize, oldSize, err := splitDimension(ext, r)
	if err != nil {
		return err
	}
	newSz, oldSz := tsz, tsz
	if r.axis == sideBySide {
		newSz.cols, oldSz.cols = newSize, oldSize
	} else {
		newSz.rows, oldSz.rows = newSize, oldSize
	}
	activeIdx := slices.Index(t.panes(), t.active)
	topMulti := r.topLevel && t.root.pane == nil
	if topMulti {
		// WezTerm resizes the tree down with Tab::resize, which also sets
		// the tab's own size, and never sets it back: from here on the
		// tab reports (get_size) the old tree's share — a new tab spawned
		// into the window gets that size. Seen on WezTerm 20250223: after
		// a 25% top-level split of an 80x24 tab, a new tab came out 80x17.
		t.resizeTree(oldSz)
		target = t.root
	}
	leaf := &node{pane: p}
	p.node = leaf
	sp := &node{parent: target.parent, axis: r.axis}
	if r.second {
		sp.a, sp.b, sp.first, sp.second = target, leaf, oldSz, newSz
	} else {
		sp.a, sp.b, sp.first, sp.second = leaf, target, newSz, oldSz
	}
	t.replace(target, sp)
	target.parent, leaf.parent = sp, sp
	switch {
	case r.second:
		t.active = p
	case topMulti:
		// A top-level split of a tab with several panes makes the new
		// pane active wherever it goes (split_and_insert: pane_index 0
		// for left/top). Seen on WezTerm 20250223.
		t.active = p
	default:
		if ps := t.panes(); activeIdx >= 0 && activeIdx < len(ps) {
			t.active = ps[activeIdx]
		}
	}
	t.layout()
	return nil
}

func (t *tab) replace(old, repl *node) {
	switch {
	case old.parent == nil:
		t.root = repl
	case old.parent.a == old:
		old.parent.a = repl
	default:
		old.parent.b = repl
	}
	repl.parent = old.parent
}

// detach removes p's leaf; its sibling takes the space.
func (t *tab) detach(p *pane) {
	before := t.panes()
	activeIdx, removedIdx := slices.Index(before, t.active), slices.Index(before, p)
	leaf := p.node
	p.node = nil
	if leaf.parent == nil {
		t.root = nil
	} else {
		parent := leaf.parent
		sib := parent.a
		if sib == leaf {
			sib = parent.b
		}
		// The sibling takes the whole space of the split it was in
		// (remove_pane_if: apply_pane_size, keeping first children).
		sz := size{parent.w, parent.h}
		sib.cascade(sz)
		t.replace(parent, sib)
	}
	if t.zoomed == p {
		t.zoomed = nil
	}
	if t.active == p || activeIdx > removedIdx {
		// remove_pane_if: the active index drops by one when a pane at
		// or before it goes.
		t.active = nil
		if ps := t.panes(); len(ps) > 0 {
			t.active = ps[min(max(activeIdx-1, 0), len(ps)-1)]
		}
	}
	t.layout()
}

func (t *tab) panes() []*pane {
	var out []*pane
	t.root.leaves(func(p *pane) { out = append(out, p) })
	return out
}

// layout places the tree in the tab's size and resizes the ptys (a zoomed
// pane takes the whole tab).
func (t *tab) layout() {
	if t.root == nil {
		return
	}
	t.root.place(0, 0, t.root.extent(t.size))
	for _, p := range t.panes() {
		cols, rows := p.node.w, p.node.h
		if t.zoomed == p {
			cols, rows = t.size.cols, t.size.rows
		}
		p.setSize(cols, rows)
	}
}

// resize is Tab::resize (mux/src/tab.rs): the tree takes the change one
// cell at a time (adjustX/adjustY), down to its minimum size.
func (t *tab) resize(sz size) {
	if sz.cols <= 0 || sz.rows <= 0 {
		return
	}
	if t.zoomed != nil {
		t.size = sz
		t.layout()
		return
	}
	t.resizeTree(sz)
	t.layout()
}

func (t *tab) resizeTree(sz size) {
	minX, minY := t.root.minSize()
	sz.cols, sz.rows = max(sz.cols, minX), max(sz.rows, minY)
	t.root.adjustX(sz.cols - t.size.cols)
	t.root.adjustY(sz.rows - t.size.rows)
	t.size = sz
}

// neighbor finds the pane next to p in direction d (WezTerm's
// get_pane_direction): the adjacent pane with the largest edge overlap,
// ties to the lowest id. Next/Prev cycle in tree order.
func (t *tab) neighbor(p *pane, d string) *pane {
	ps := t.panes()
	if d == "Next" || d == "Prev" {
		if len(ps) < 2 {
			return nil
		}
		i := slices.Index(ps, p)
		if d == "Next" {
			return ps[(i+1)%len(ps)]
		}
		return ps[(i+len(ps)-1)%len(ps)]
	}
	a := p.node
	var best *pane
	bestOverlap := 0
	for _, q := range ps {
		if q == p {
			continue
		}
		b := q.node
		var adjacent bool
		var overlap int
		switch d {
		case "Left":
			adjacent, overlap = b.x+b.w+1 == a.x, span(a.y, a.h, b.y, b.h)
		case "Right":
			adjacent, overlap = a.x+a.w+1 == b.x, span(a.y, a.h, b.y, b.h)
		case "Up":
			adjacent, overlap = b.y+b.h+1 == a.y, span(a.x, a.w, b.x, b.w)
		case "Down":
			adjacent, overlap = a.y+a.h+1 == b.y, span(a.x, a.w, b.x, b.w)
		}
		if adjacent && overlap > 0 && (overlap > bestOverlap || overlap == bestOverlap && q.id < best.id) {
			best, bestOverlap = q, overlap
		}
	}
	return best
}

func span(a, al, b, bl int) int { return min(a+al, b+bl) - max(a, b) }

// adjust is adjust_pane_size (mux/src/tab.rs): it moves the divider of
// the nearest split on d's axis above the tab's *active* pane (the pane
// given on the command line only picks the tab), by n cells, keeping at
// least one cell each side, then cascades the new sizes down.
func (t *tab) adjust(d string, n int) {
	if t.zoomed != nil || t.active == nil {
		return
	}
	ax, delta := sideBySide, n
	if d == "Up" || d == "Down" {
		ax = stacked
	}
	if d == "Left" || d == "Up" {
		delta = -n
	}
	for s := t.active.node.parent; s != nil; s = s.parent {
		if s.axis != ax {
			continue
		}
		if ax == sideBySide {
			width := s.w
			s.first.cols = max(1, min(s.first.cols+delta, width-2))
			s.second.cols = max(0, width-s.first.cols-1)
		} else {
			height := s.h
			s.first.rows = max(1, min(s.first.rows+delta, height-2))
			s.second.rows = max(0, height-s.first.rows-1)
		}
		s.a.cascade(s.first)
		s.b.cascade(s.second)
		t.layout()
		return
	}
}

// workspaceNames returns the sorted, de-duplicated workspaces of the
// existing windows (mux.iter_workspaces).
func (m *Server) workspaceNames() []string {
	set := map[string]bool{}
	for _, w := range m.windows {
		set[w.workspace] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// windowOrder returns windows in an unspecified order, as WezTerm's
// HashMap iteration does, so that consumers cannot rely on it.
func (m *Server) windowOrder() []*window {
	ws := make([]*window, 0, len(m.windows))
	for _, w := range m.windows {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].id < ws[j].id })
	if m.shuffle {
		rand.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
	}
	return ws
}
