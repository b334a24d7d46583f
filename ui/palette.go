package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// paletteEntry is the palette's search field: arrows move through the
// list, Enter runs, Esc closes.
type paletteEntry struct {
	keyEntry
	onKey func(fyne.KeyName) bool
}

func (e *paletteEntry) TypedKey(k *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(k.Name) {
		return
	}
	e.keyEntry.TypedKey(k)
}

// showPalette lists every action with its shortcut (Ctrl+K); typing
// filters, Enter runs the highlighted one.
func showPalette(d dialogs, all []*action) {
	var shown []*action
	sel := 0
	filter := func(q string) {
		q = strings.ToLower(strings.TrimSpace(q))
		shown = shown[:0]
		for _, a := range all {
			if a.id == "palette" {
				continue
			}
			if q == "" || strings.Contains(strings.ToLower(a.label), q) {
				shown = append(shown, a)
			}
		}
		sel = 0
	}
	filter("")
	list := widget.NewList(
		func() int { return len(shown) },
		func() fyne.CanvasObject {
			key := widget.NewLabel("Ctrl+Shift+X")
			key.Importance = widget.LowImportance
			name := widget.NewLabel("action")
			name.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, key, name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			a := shown[i]
			name, key := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
			name.SetText(a.label)
			if a.ok() {
				name.Importance = widget.MediumImportance
			} else {
				name.Importance = widget.LowImportance
			}
			name.Refresh()
			key.SetText(a.keyLabel())
		})
	entry := &paletteEntry{}
	entry.ExtendBaseWidget(entry)
	entry.SetPlaceHolder("Type to find an action…")
	var pop *widget.PopUp
	closeIt := func() {
		d.keys.pop(pop)
		pop.Hide()
		d.win.Canvas().Unfocus()
	}
	run := func(i int) {
		if i < 0 || i >= len(shown) {
			return
		}
		a := shown[i]
		closeIt()
		a.trigger()
	}
	entry.OnChanged = func(s string) {
		filter(s)
		list.Refresh()
		if len(shown) > 0 {
			list.Select(0)
		}
	}
	entry.OnSubmitted = func(string) { run(sel) }
	entry.onEscape = closeIt
	entry.onKey = func(k fyne.KeyName) bool {
		switch k {
		case fyne.KeyDown:
			if sel < len(shown)-1 {
				sel++
				list.Select(sel)
			}
			return true
		case fyne.KeyUp:
			if sel > 0 {
				sel--
				list.Select(sel)
			}
			return true
		}
		return false
	}
	list.OnSelected = func(i widget.ListItemID) { sel = i }
	runBtn := newKeyButton("Run (Enter)", func() { run(sel) }, d.pass)
	runBtn.Importance = widget.HighImportance
	hint := widget.NewLabel("↑↓ choose · Enter run · Esc close")
	hint.Importance = widget.LowImportance
	box := container.NewBorder(entry, container.NewBorder(nil, nil, hint, runBtn), nil, nil, list)
	pop = widget.NewModalPopUp(container.NewStack(box), d.win.Canvas())
	d.keys.push(pop, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape {
			closeIt()
			return true
		}
		return false
	})
	size := d.win.Canvas().Size()
	pop.Resize(fyne.NewSize(min(560, size.Width-40), min(420, size.Height-80)))
	pop.Show()
	list.Select(0)
	d.win.Canvas().Focus(entry)
}
