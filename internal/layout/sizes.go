package layout

import "math"

// Extents divides ext cells among a split's children, leaving a one-cell
// divider between neighbours (as WezTerm does): fixed cells first, then
// percentages of ext, then equal shares of the rest. Every child gets at
// least one cell; ok is false when ext is too small for that.
func Extents(ext int, children []*Node) (sizes []int, ok bool) {
	n := len(children)
	avail := ext - (n - 1)
	if avail < n {
		return nil, false
	}
	sizes = make([]int, n)
	used, free := 0, 0
	for i, c := range children {
		switch {
		case c.Size.Cells > 0:
			sizes[i] = c.Size.Cells
		case c.Size.Percent > 0:
			sizes[i] = int(math.Round(float64(ext) * c.Size.Percent / 100))
		default:
			free++
			continue
		}
		sizes[i] = max(1, sizes[i])
		used += sizes[i]
	}
	rest := avail - used
	if free > 0 {
		// Equal shares; the first children take the odd cells.
		share, extra := rest/free, rest%free
		for i, c := range children {
			if c.Size.Cells == 0 && c.Size.Percent == 0 {
				sizes[i] = share
				if extra > 0 {
					sizes[i]++
					extra--
				}
			}
		}
	} else if rest != 0 {
		// Sized children that do not fill the split: the last one absorbs
		// the difference, as the last pane of a WezTerm split does.
		sizes[n-1] += rest
	}
	for _, s := range sizes {
		if s < 1 {
			return nil, false
		}
	}
	return sizes, true
}

// Rect is a pane's place in a tab, in cells.
type Rect struct {
	Left, Top, Cols, Rows int
	Node                  *Node
}

// Geometry lays out a tab of cols×rows cells as a launch would (for
// thumbnails). ok is false when the tab is too small for the layout.
func Geometry(t *Tab, cols, rows int) ([]Rect, bool) {
	var out []Rect
	var place func(n *Node, x, y, w, h int) bool
	place = func(n *Node, x, y, w, h int) bool {
		if n.IsPane() {
			out = append(out, Rect{x, y, w, h, n})
			return true
		}
		ext := w
		if n.Split == Down {
			ext = h
		}
		sizes, ok := Extents(ext, n.Children)
		if !ok {
			return false
		}
		for i, c := range n.Children {
			cw, ch := w, h
			if n.Split == Right {
				cw = sizes[i]
			} else {
				ch = sizes[i]
			}
			if !place(c, x, y, cw, ch) {
				return false
			}
			if n.Split == Right {
				x += sizes[i] + 1
			} else {
				y += sizes[i] + 1
			}
		}
		return true
	}
	ok := place(t.Root, 0, 0, cols, rows)
	return out, ok
}
