package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
)

// emptyView says, in the middle of the window, why nothing is drawn there
// and offers what fixes it: the first thing a new user sees when WezTerm is
// missing or stopped, a filter matches nothing, or a workspace is empty.
type emptyView struct {
	root    *fyne.Container
	title   *widget.Label
	text    *widget.Label
	buttons *fyne.Container
	button  func(id string) *keyButton // nil: the action is not offered
	last    viewmodel.Empty
	set     bool
}

// newEmptyView: its buttons run the registry's actions of the same ids.
func newEmptyView(as *actions, onKey func(*fyne.KeyEvent)) *emptyView {
	e := &emptyView{}
	e.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	e.title.SizeName = theme.SizeNameSubHeadingText
	e.title.Wrapping = fyne.TextWrapWord
	e.text = widget.NewLabel("")
	e.text.Alignment = fyne.TextAlignCenter
	e.text.Wrapping = fyne.TextWrapWord
	e.buttons = container.NewHBox()
	// As wide as reads well, in the middle; a narrow window gets all of its
	// width (it never widens the window).
	e.root = container.New(centredColumn{w: 520}, container.NewVBox(e.title, e.text, container.NewCenter(e.buttons)))
	labels := map[string]struct {
		text string
		icon fyne.Resource
	}{
		"set-path":     {"Set the path…", theme.FolderOpenIcon()},
		"start":        {"Start WezTerm", theme.MediaPlayIcon()},
		"demo":         {"Try the demo", theme.ComputerIcon()},
		"clear-filter": {"Clear the filter", theme.ContentClearIcon()},
	}
	e.button = func(id string) *keyButton {
		a, l := as.get(id), labels[id]
		if a == nil {
			return nil // not offered here (e.g. no demo in the demo)
		}
		return newKeyButtonWithIcon(l.text, l.icon, a.trigger, onKey)
	}
	return e
}

// render shows m and reports how many of its actions it offers; the same
// model twice touches nothing.
func (e *emptyView) render(m viewmodel.Empty) int {
	if e.set && m.Title == e.last.Title && m.Text == e.last.Text && slices.Equal(m.Actions, e.last.Actions) {
		return len(e.buttons.Objects)
	}
	e.last, e.set = m, true
	e.title.SetText(m.Title)
	e.text.SetText(m.Text)
	if m.Text == "" {
		e.text.Hide()
	} else {
		e.text.Show()
	}
	var objs []fyne.CanvasObject
	for _, id := range m.Actions {
		if b := e.button(id); b != nil {
			if len(objs) == 0 {
				b.Importance = widget.HighImportance
			}
			objs = append(objs, b)
		}
	}
	e.buttons.Objects = objs
	e.buttons.Refresh()
	e.root.Refresh()
	return len(objs)
}

// centredColumn lays its one child out in the middle, no wider than w.
type centredColumn struct{ w float32 }

func (l centredColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(120, 80)
}

func (l centredColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 2
	width := min(l.w, size.Width-2*pad)
	for _, o := range objs {
		// Resize first: wrapped labels know their height only for a width.
		o.Resize(fyne.NewSize(width, o.Size().Height))
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(width, h))
		o.Move(fyne.NewPos((size.Width-width)/2, max(pad, (size.Height-h)/2.5)))
	}
}
