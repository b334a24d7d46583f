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
	tabs      []*tab
	activeTab int
	cols      int
	rows      int
}

type tab struct {
	id     int
	win    *window
	title  string
	root   *node
	active *pane
	zoomed *pane
}

type axis int

const (
	sideBySide axis = iota // left | right (WezTerm "Horizontal")
	stacked                // top / bottom (WezTerm "Vertical")
)

// node is a split-tree node: a leaf holds a pane; a split holds two
// children separated by a one-cell divider.
type node struct {
	parent *node
	pane   *pane
	axis   axis
	a, b   *node
	aSize  int // cells given to a along the axis
	total  int // the extent aSize was computed for
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

// layout assigns extents top-down. A split keeps its proportion when its
// extent changes (as WezTerm's resize does).
func (n *node) layout(x, y, w, h int) {
	n.x, n.y, n.w, n.h = x, y, w, h
	if n.pane != nil {
		return
	}
	ext := w
	if n.axis == stacked {
		ext = h
	}
	if n.total != ext && n.total > 0 {
		n.aSize = (n.aSize*ext + n.total/2) / n.total
	}
	n.total = ext
	n.aSize = clamp(n.aSize, 1, max(1, ext-2))
	bSize := max(1, ext-n.aSize-1)
	if n.axis == sideBySide {
		n.a.layout(x, y, n.aSize, h)
		n.b.layout(x+n.aSize+1, y, bSize, h)
	} else {
		n.a.layout(x, y, w, n.aSize)
		n.b.layout(x, y+n.aSize+1, w, bSize)
	}
}

// splitRequest mirrors WezTerm's SplitRequest.
type splitRequest struct {
	axis    axis
	second  bool // the new pane goes right/below
	cells   int  // 0 = use percent
	percent int
}

// splitDimension is WezTerm's split arithmetic (mux/src/tab.rs): the new
// pane gets percent of the extent (at least one cell), the divider one cell,
// the old pane the rest.
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

// insertSplit replaces target (a leaf, or the root for top-level splits)
// with a split holding target and the new pane p.
func (t *tab) insertSplit(target *node, p *pane, r splitRequest) error {
	ext := target.w
	if r.axis == stacked {
		ext = target.h
	}
	newSize, oldSize, err := splitDimension(ext, r)
	if err != nil {
		return err
	}
	leaf := &node{pane: p}
	p.node = leaf
	s := &node{parent: target.parent, axis: r.axis, total: ext}
	if r.second {
		s.a, s.b, s.aSize = target, leaf, oldSize
	} else {
		s.a, s.b, s.aSize = leaf, target, newSize
	}
	t.replace(target, s)
	target.parent, leaf.parent = s, s
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
		t.replace(parent, sib)
	}
	if t.zoomed == p {
		t.zoomed = nil
	}
	if t.active == p {
		t.active = nil
		if t.root != nil {
			t.root.leaves(func(q *pane) {
				if t.active == nil {
					t.active = q
				}
			})
		}
	}
	t.layout()
}

func (t *tab) panes() []*pane {
	var out []*pane
	t.root.leaves(func(p *pane) { out = append(out, p) })
	return out
}

// layout recomputes geometry and resizes the ptys.
func (t *tab) layout() {
	if t.root == nil {
		return
	}
	t.root.layout(0, 0, t.win.cols, t.win.rows)
	for _, p := range t.panes() {
		cols, rows := p.node.w, p.node.h
		if t.zoomed == p {
			cols, rows = t.win.cols, t.win.rows
		}
		p.setSize(cols, rows)
	}
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

// adjust moves the divider of the nearest ancestor split on d's axis by n
// cells in direction d.
func (t *tab) adjust(p *pane, d string, n int) {
	ax := sideBySide
	if d == "Up" || d == "Down" {
		ax = stacked
	}
	for s := p.node.parent; s != nil; s = s.parent {
		if s.axis != ax {
			continue
		}
		if d == "Left" || d == "Up" {
			s.aSize -= n
		} else {
			s.aSize += n
		}
		s.aSize = clamp(s.aSize, 1, max(1, s.total-2))
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
