package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// tableView lists the panes as rows with sortable headers (click a header;
// again for the other order): the view for busy workspaces.
type tableView struct {
	w     *Window
	table *widget.Table
	rows  []viewmodel.Row
	col   viewmodel.Column
	desc  bool
}

// column widths in pixels: digits are monospace, text columns ellipsize.
var colWidths = [viewmodel.NumColumns]float32{64, 78, 100, 230, 170, 200, 120, 64, 200}

func newTableView(w *Window) *tableView {
	t := &tableView{w: w, col: viewmodel.ColCPU, desc: true}
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.rows), int(viewmodel.NumColumns) },
		func() fyne.CanvasObject {
			c := canvas.NewText("", widgets.RoleColor(viewmodel.RoleText))
			return c
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			c := o.(*canvas.Text)
			if id.Row >= len(t.rows) {
				c.Text = ""
				return
			}
			r := t.rows[id.Row]
			col := viewmodel.Column(id.Col)
			c.TextStyle = fyne.TextStyle{Monospace: col == viewmodel.ColPane || col == viewmodel.ColCPU || col == viewmodel.ColMem || col == viewmodel.ColProcs || col == viewmodel.ColSpend}
			c.Text = fitCell(r.Cells[col], colWidths[col]-8, c.TextStyle)
			c.Color = widgets.RoleColor(r.Roles[col])
			c.Refresh()
		})
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Row != -1 || id.Col < 0 {
			return
		}
		col := viewmodel.Column(id.Col)
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
	for i, wd := range colWidths {
		t.table.SetColumnWidth(i, wd)
	}
	t.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(t.rows) {
			w.selectPane(t.rows[id.Row].Pane, 0)
		}
		t.table.UnselectAll()
	}
	return t
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
		t.col, t.desc = col, col == viewmodel.ColCPU || col == viewmodel.ColMem || col == viewmodel.ColProcs || col == viewmodel.ColSpend
	}
	t.w.renderTable()
}

// render shows rows; nothing is drawn when they did not change.
func (t *tableView) render(rows []viewmodel.Row) {
	if sameRows(rows, t.rows) {
		return
	}
	t.rows = rows
	t.table.Refresh()
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
