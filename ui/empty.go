package ui

import (
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
	actions map[string]func() *keyButton
	last    viewmodel.Empty
	set     bool
}

func newEmptyView(w *Window) *emptyView {
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
	e.actions = map[string]func() *keyButton{
		"set-path": func() *keyButton {
			return newKeyButtonWithIcon("Set the path…", theme.FolderOpenIcon(), w.onSetPath, w.typedKey)
		},
		"start": func() *keyButton {
			return newKeyButtonWithIcon("Start WezTerm", theme.MediaPlayIcon(), w.onStartWezterm, w.typedKey)
		},
		"demo": func() *keyButton {
			return newKeyButtonWithIcon("Try the demo", theme.ComputerIcon(), w.onDemo, w.typedKey)
		},
		"clear-filter": func() *keyButton {
			return newKeyButtonWithIcon("Clear the filter", theme.ContentClearIcon(), func() { w.side.filter.SetText("") }, w.typedKey)
		},
	}
	return e
}

// render shows m; the same model twice touches nothing.
func (e *emptyView) render(m viewmodel.Empty) {
	if e.set && m.Title == e.last.Title && m.Text == e.last.Text && equalStrings(m.Actions, e.last.Actions) {
		return
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
	for i, a := range m.Actions {
		if mk, ok := e.actions[a]; ok {
			b := mk()
			if i == 0 {
				b.Importance = widget.HighImportance
			}
			objs = append(objs, b)
		}
	}
	e.buttons.Objects = objs
	e.buttons.Refresh()
	e.root.Refresh()
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
