package ui

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// tableView lists the panes as rows with sortable headers (click a header;
// again for the other order): the view for busy workspaces. The selected
// pane's whole row is marked, wherever sorting puts it.
type tableView struct {
	table    *keyTable
	model    viewmodel.Table
	selected wezterm.PaneID
	hasSel   bool
	col      viewmodel.Column
	desc     bool
	// onSelect is a click on a row; onSort a click on a header.
	onSelect func(wezterm.PaneID)
	onSort   func()
}

// column widths in pixels: digits are monospace, text columns ellipsize.
var colWidths = [viewmodel.NumColumns]float32{
	viewmodel.ColTitle: 200, viewmodel.ColCPU: 72, viewmodel.ColMem: 92, viewmodel.ColSpend: 190, viewmodel.ColAgent: 160,
	viewmodel.ColProgram: 190, viewmodel.ColWorkspace: 110, viewmodel.ColPane: 56, viewmodel.ColProcs: 56,
	viewmodel.ColCWD: 200, viewmodel.ColMatch: 200,
}

// rowHeight fits one line of text: 40 rows on a 1080-pixel screen, not 20.
const rowHeight = 26

func newTableView(onSelect func(wezterm.PaneID), onSort func(), onKey func(*fyne.KeyEvent)) *tableView {
	t := &tableView{col: viewmodel.ColCPU, desc: true, onSelect: onSelect, onSort: onSort}
	// Keys go to the window (arrows move its selection, Enter focuses):
	// the table's own cell cursor would be a second selection.
	t.table = &keyTable{fallback: onKey}
	t.table.Length = func() (int, int) { return len(t.model.Rows), len(t.model.Columns) }
	t.table.CreateCell = func() fyne.CanvasObject {
		bg := canvas.NewRectangle(color.Transparent)
		return container.NewStack(bg, canvas.NewText("", widgets.RoleColor(viewmodel.RoleText)))
	}
	t.table.UpdateCell = t.updateCell
	t.table.ShowHeaderRow = true
	t.table.ExtendBaseWidget(t.table)
	t.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Row != -1 || id.Col < 0 || id.Col >= len(t.model.Columns) {
			return
		}
		col := t.model.Columns[id.Col]
		text := viewmodel.Headers[col]
		if col == t.col {
			if t.desc {
				text += " ▼"
			} else {
				text += " ▲"
			}
		}
		b.SetText(text)
		b.OnTapped = func() { t.sortBy(col) }
	}
	t.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(t.model.Rows) {
			t.onSelect(t.model.Rows[id.Row].Pane)
		}
		// Fyne marks one cell; the row of the selected pane is marked
		// instead (it follows the pane when rows re-sort).
		t.table.UnselectAll()
	}
	return t
}

func (t *tableView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	st := o.(*fyne.Container)
	bg, c := st.Objects[0].(*canvas.Rectangle), st.Objects[1].(*canvas.Text)
	if id.Row >= len(t.model.Rows) || id.Col >= len(t.model.Columns) {
		c.Text, bg.FillColor = "", color.Transparent
		return
	}
	r := t.model.Rows[id.Row]
	col := t.model.Columns[id.Col]
	c.TextStyle = fyne.TextStyle{Monospace: col.Numeric()}
	c.Text = fitCell(r.Cells[col], colWidths[col]-8, c.TextStyle)
	c.Color = widgets.RoleColor(r.Roles[col])
	fill := color.Color(color.Transparent)
	if t.hasSel && r.Pane == t.selected {
		fill = theme.Color(theme.ColorNameSelection)
	}
	if bg.FillColor != fill {
		bg.FillColor = fill
		bg.Refresh()
	}
	c.Refresh()
}

// fitCell cuts a cell's text to its column.
func fitCell(s string, width float32, style fyne.TextStyle) string {
	return widgets.Fit(s, width, theme.TextSize(), style)
}

func (t *tableView) sortBy(col viewmodel.Column) {
	if t.col == col {
		t.desc = !t.desc
	} else {
		// Numbers read largest first; names A to Z.
		t.col, t.desc = col, col.Numeric() && col != viewmodel.ColPane
	}
	t.onSort()
}

// render shows the table and the selected pane's row; nothing is drawn
// when neither changed.
func (t *tableView) render(m viewmodel.Table, selected wezterm.PaneID, hasSel bool) {
	sameCols := slices.Equal(m.Columns, t.model.Columns)
	if sameCols && sameRows(m.Rows, t.model.Rows) && selected == t.selected && hasSel == t.hasSel {
		return
	}
	grew := len(m.Rows) != len(t.model.Rows)
	t.model, t.selected, t.hasSel = m, selected, hasSel
	if !sameCols {
		for i, c := range m.Columns {
			t.table.SetColumnWidth(i, colWidths[c])
		}
	}
	if grew {
		for i := range m.Rows {
			t.table.SetRowHeight(i, rowHeight)
		}
	}
	t.table.Refresh()
}

// rowOf is the row index of a pane (-1: not shown).
func (t *tableView) rowOf(id wezterm.PaneID) int {
	for i, r := range t.model.Rows {
		if r.Pane == id {
			return i
		}
	}
	return -1
}

// neighbour is the pane dy rows from the selected one (the first row when
// none is selected).
func (t *tableView) neighbour(dy int) (wezterm.PaneID, bool) {
	if len(t.model.Rows) == 0 {
		return 0, false
	}
	i := t.rowOf(t.selected)
	if !t.hasSel || i < 0 {
		return t.model.Rows[0].Pane, true
	}
	i = min(max(i+dy, 0), len(t.model.Rows)-1)
	t.table.ScrollTo(widget.TableCellID{Row: i, Col: 0})
	return t.model.Rows[i].Pane, true
}

func sameRows(a, b []viewmodel.Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Pane != b[i].Pane || a[i].Cells != b[i].Cells || a[i].Roles != b[i].Roles {
			return false
		}
	}
	return true
}
