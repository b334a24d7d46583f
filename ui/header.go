package ui

import (
	"fmt"
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

// headerView is the top line: who needs you (the most-read place), the
// connection, the queued prompts, what to do when WezTerm is missing, and
// the machine's numbers in fixed-width digits.
type headerView struct {
	calls    headerCalls
	tips     *tips
	root     fyne.CanvasObject
	conn     *widget.Label
	att      *fyne.Container
	row      *fyne.Container // the chips and the connection line
	numbers  *canvas.Text
	today    *canvas.Text // today's agent spend
	todayBox *fyne.Container
	right    *fyne.Container
	queued   *tipButton
	fixes    *fyne.Container
	setPath  *tipButton
	startWT  *tipButton

	last      viewmodel.Header
	lastSet   bool
	lastQ     int
	lastFixes bool // the empty state shows the fixes
}

// headerCalls are what the header's buttons do.
type headerCalls struct {
	queued, setPath, start, demo func()
	jump                         func(wezterm.PaneID) // a waiting agent's chip
	waitingKey                   string               // the shortcut to the oldest
}

func newHeaderView(tt *tips, c headerCalls) *headerView {
	h := &headerView{calls: c, tips: tt}
	h.conn = widget.NewLabel("Looking for WezTerm…")
	h.conn.Truncation = fyne.TextTruncateEllipsis
	h.att = container.New(chipsLayout{})
	// Plain text: it changes every tick, and a label's rich text costs more
	// to lay out than the number is worth.
	h.numbers = canvas.NewText("", widgets.RoleColor(viewmodel.RoleText))
	h.numbers.TextStyle = fyne.TextStyle{Monospace: true}
	h.today = canvas.NewText("", widgets.RoleColor(viewmodel.RoleText))
	h.today.TextStyle = fyne.TextStyle{Monospace: true}
	h.todayBox = container.NewHBox(container.NewCenter(h.today), widget.NewLabel(""))
	h.todayBox.Hide() // until an agent spent something today
	h.queued = newTipButton("", theme.HistoryIcon(), "Prompts waiting for busy agents: they are typed when the agent asks", tt, c.queued)
	h.queued.Hide()
	h.setPath = newTipButton("Set path…", theme.FolderOpenIcon(), "Tell the app where the wezterm binary is", tt, c.setPath)
	h.startWT = newTipButton("Start WezTerm", theme.MediaPlayIcon(), "Start WezTerm where this app looks for it", tt, c.start)
	demo := newTipButton("Try the demo", theme.ComputerIcon(), "A stand-in WezTerm with real programs, to try the app", tt, c.demo)
	h.fixes = container.NewHBox(h.setPath, h.startWT, demo)
	if c.demo == nil {
		demo.Hide() // not offered (the demo itself)
	}
	h.fixes.Hide()
	h.right = container.NewHBox(h.queued, h.fixes, h.todayBox, container.NewCenter(h.numbers), widget.NewLabel(""))
	h.row = container.New(headerRow{}, h.att, h.conn)
	h.root = container.NewBorder(nil, nil, nil, h.right, h.row)
	return h
}

// render shows m; parts that did not change are not touched.
// inCentre says the middle of the window already offers the fixes for an
// unreachable WezTerm (the empty state), so the header leaves them out.
func (h *headerView) render(m viewmodel.Header, installed, inCentre bool, queued int) {
	h.lastFixes = inCentre
	if !h.lastSet || m.Connection != h.last.Connection {
		h.conn.SetText(m.Connection)
	}
	// Colours are looked up each time: the theme may have changed since.
	if c := widgets.RoleColor(m.TodayRole); !h.lastSet || m.Today != h.last.Today || c != h.today.Color {
		h.today.Text = m.Today
		h.today.Color = c
		h.today.Refresh()
		if shown := m.Today != ""; shown != h.todayBox.Visible() {
			if shown {
				h.todayBox.Show()
			} else {
				h.todayBox.Hide()
			}
			h.right.Refresh() // lay the numbers out again beside it
		}
	}
	if c := widgets.RoleColor(viewmodel.RoleText); !h.lastSet || m.CPU != h.last.CPU || m.Mem != h.last.Mem || c != h.numbers.Color {
		h.numbers.Text = m.CPU + "  " + m.Mem
		h.numbers.Color = c
		h.numbers.Refresh()
	}
	if !h.lastSet || !slices.Equal(m.Attention, h.last.Attention) {
		h.renderAttention(m.Attention)
	}
	switch {
	case m.Reachable || inCentre:
		h.fixes.Hide()
	case !installed:
		showIf(h.setPath, h.calls.setPath != nil)
		h.startWT.Hide()
		h.fixes.Show()
	default:
		h.setPath.Hide()
		showIf(h.startWT, h.calls.start != nil)
		h.fixes.Show()
	}
	if queued != h.lastQ || !h.lastSet {
		if queued == 0 {
			h.queued.Hide()
		} else {
			h.queued.SetText(fmt.Sprintf("Queued (%d)", queued))
			h.queued.Show()
		}
		h.lastQ = queued
	}
	h.last, h.lastSet = m, true
}

// renderAttention shows the waiting agents, oldest first, each with how
// long it waited, as many as fit and "+N more" for the rest (they never
// widen the window); a click selects the pane here and focuses it in
// WezTerm.
func (h *headerView) renderAttention(list []viewmodel.Attention) {
	var objs []fyne.CanvasObject
	if len(list) == 0 {
		none := widget.NewLabel("No agent is waiting")
		none.Importance = widget.LowImportance
		objs = append(objs, none)
	} else {
		title := widget.NewLabelWithStyle("Needs you", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		objs = append(objs, title)
	}
	for _, a := range list {
		text := a.Label
		if a.Waited != "" {
			text += " · " + a.Waited
		}
		b := newTipButton(text, theme.WarningIcon(), fmt.Sprintf("Waiting for you in workspace %s — click to select it and focus it in WezTerm (%s: the oldest)", a.Where, h.calls.waitingKey), h.tips,
			func() { h.calls.jump(a.Pane) })
		b.Importance = widget.WarningImportance
		objs = append(objs, b)
	}
	objs = append(objs, widget.NewLabel(""))
	h.att.Objects = objs
	h.row.Refresh() // the chips' share of the row follows them
}

// chipsLayout lays out a title, chips and a last label: the chips that
// fit, then "+N more" in the label for the others. Its minimum is the
// title and the label: what waits never widens the window.
type chipsLayout struct{}

func (chipsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) < 2 {
		return
	}
	pad := theme.Padding()
	title, chips, more := objs[0], objs[1:len(objs)-1], objs[len(objs)-1].(*widget.Label)
	place := func(o fyne.CanvasObject, x float32) float32 {
		m := o.MinSize()
		o.Move(fyne.NewPos(x, (size.Height-m.Height)/2))
		o.Resize(m)
		o.Show()
		return x + m.Width + pad
	}
	x := place(title, 0)
	moreW := fyne.MeasureText(fmt.Sprintf("+%d more", len(chips)), theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
	shown := 0
	for i, c := range chips {
		left := len(chips) - i - 1
		need := c.MinSize().Width
		if left > 0 {
			need += pad + moreW
		}
		if x+need > size.Width {
			break
		}
		x = place(c, x)
		shown++
	}
	for _, c := range chips[shown:] {
		c.Hide()
	}
	if shown < len(chips) {
		more.SetText(fmt.Sprintf("+%d more", len(chips)-shown))
		place(more, x)
	} else {
		more.Hide()
	}
}

func (chipsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) == 0 {
		return fyne.Size{}
	}
	s := objs[0].MinSize()
	for _, o := range objs[1:] {
		s.Height = max(s.Height, o.MinSize().Height)
	}
	return s
}

// headerRow gives the chips the room they want (up to 70 % of the row)
// and the connection line the rest; its minimum is theirs.
type headerRow struct{}

func (headerRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	att, conn := objs[0].(*fyne.Container), objs[1]
	want := float32(0)
	for i, o := range att.Objects {
		if i < len(att.Objects)-1 || len(att.Objects) == 1 {
			want += o.MinSize().Width + theme.Padding()
		}
	}
	aw := min(want, size.Width*0.7)
	att.Move(fyne.NewPos(0, 0))
	att.Resize(fyne.NewSize(aw, size.Height))
	conn.Move(fyne.NewPos(aw, 0))
	conn.Resize(fyne.NewSize(size.Width-aw, size.Height))
}

func (headerRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, c := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+c.Width, max(a.Height, c.Height))
}

func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
