package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// keyEntry is an entry that reports Escape (and, when multi-line,
// Ctrl+Enter) to its dialog: Fyne's dialogs have no keyboard handling.
type keyEntry struct {
	widget.Entry
	onEscape func()
	onSubmit func()
}

func newKeyEntry(multi bool) *keyEntry {
	e := &keyEntry{}
	e.MultiLine = multi
	if multi {
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(5)
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey implements fyne.Focusable.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut submits a multi-line entry on Ctrl+Enter.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) &&
		cs.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 && e.onSubmit != nil {
		e.onSubmit()
		return
	}
	e.Entry.TypedShortcut(s)
}

// formDialog is a dialog whose first field has the focus, where Enter
// submits (Ctrl+Enter in a multi-line field), Esc cancels, and fields are
// at least dialogWidth wide.
type formDialog struct {
	d       dialog.Dialog
	win     fyne.Window
	entries []*keyEntry
	submit  func()
	closed  bool
}

const dialogWidth = 460

// field is one labelled input of a form dialog.
type field struct {
	label string
	entry *keyEntry
	hint  string // below the field
	below fyne.CanvasObject
}

// showForm opens a form dialog. confirm is the submit button's text;
// danger makes it red (destructive actions). onSubmit gets nothing: it
// reads the entries it made.
func showForm(win fyne.Window, keys *keyRouter, title, confirm string, danger bool, intro fyne.CanvasObject, fields []field, onSubmit func()) *formDialog {
	fd := &formDialog{win: win}
	var rows []fyne.CanvasObject
	if intro != nil {
		rows = append(rows, intro)
	}
	for _, f := range fields {
		if f.label != "" {
			rows = append(rows, widget.NewLabelWithStyle(f.label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		rows = append(rows, f.entry)
		if f.hint != "" {
			h := widget.NewLabel(f.hint)
			h.Wrapping = fyne.TextWrapWord
			h.Importance = widget.LowImportance
			rows = append(rows, h)
		}
		if f.below != nil {
			rows = append(rows, f.below)
		}
		fd.entries = append(fd.entries, f.entry)
	}
	body := container.NewVBox(rows...)
	// Hold the width: a dialog sized to its content would squeeze fields.
	sized := container.New(&minWidthLayout{w: dialogWidth}, body)
	// A focused button passes Esc (and what it does not use) to the dialog.
	pass := func(e *fyne.KeyEvent) { keys.handle(e.Name) }
	cancel := newKeyButton("Cancel", nil, pass)
	ok := newKeyButton(confirm, nil, pass)
	ok.Importance = widget.HighImportance
	if danger {
		ok.Importance = widget.DangerImportance
	}
	buttons := container.NewHBox(layout.NewSpacer(), cancel, ok)
	fd.d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons, nil, nil, sized), win)
	closeIt := func() {
		if fd.closed {
			return
		}
		fd.closed = true
		keys.pop(fd)
		fd.d.Hide()
	}
	fd.submit = func() {
		closeIt()
		onSubmit()
	}
	cancel.OnTapped = closeIt
	ok.OnTapped = fd.submit
	for _, e := range fd.entries {
		e.onEscape = closeIt
		e.onSubmit = fd.submit
		if !e.MultiLine {
			e.OnSubmitted = func(string) { fd.submit() }
		}
	}
	keys.push(fd, func(k fyne.KeyName) bool {
		switch k {
		case fyne.KeyEscape:
			closeIt()
			return true
		case fyne.KeyReturn, fyne.KeyEnter:
			fd.submit()
			return true
		}
		return false
	})
	fd.d.SetOnClosed(func() { fd.closed = true; keys.pop(fd) })
	fd.d.Show()
	if len(fd.entries) > 0 {
		win.Canvas().Focus(fd.entries[0])
	} else {
		win.Canvas().Unfocus()
	}
	return fd
}

// minWidthLayout gives its content at least w of width.
type minWidthLayout struct{ w float32 }

func (l *minWidthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *minWidthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(l.w, 0)
	for _, o := range objs {
		m := o.MinSize()
		s = s.Max(fyne.NewSize(l.w, m.Height))
	}
	return s
}

// keyRouter sends Enter and Esc to the dialog on top when no field has
// the focus (a confirmation), else to the window's own keys.
type keyRouter struct {
	stack []keyHandler
	// shift follows Shift on a desktop canvas: Fyne reports Shift+F2 to
	// the canvas as plain F2 (Shift alone makes no shortcut).
	shift bool
}

type keyHandler struct {
	owner any
	fn    func(fyne.KeyName) bool
}

func (k *keyRouter) push(owner any, fn func(fyne.KeyName) bool) {
	k.stack = append(k.stack, keyHandler{owner, fn})
}

func (k *keyRouter) pop(owner any) {
	for i := len(k.stack) - 1; i >= 0; i-- {
		if k.stack[i].owner == owner {
			k.stack = append(k.stack[:i], k.stack[i+1:]...)
			return
		}
	}
}

// handle offers a key to the top dialog; false when none took it.
func (k *keyRouter) handle(name fyne.KeyName) bool {
	if n := len(k.stack); n > 0 {
		return k.stack[n-1].fn(name)
	}
	return false
}

// dialogs opens the window's dialogs, their keys routed.
type dialogs struct {
	win  fyne.Window
	keys *keyRouter
}

// form opens a form dialog (see showForm).
func (d dialogs) form(title, confirm string, danger bool, intro fyne.CanvasObject, fields []field, onSubmit func()) *formDialog {
	return showForm(d.win, d.keys, title, confirm, danger, intro, fields, onSubmit)
}

// pass gives a focused control's unused keys to the top dialog.
func (d dialogs) pass(e *fyne.KeyEvent) { d.keys.handle(e.Name) }

// progress shows a long job's progress: a bar (nil: one that runs
// without an end) and the step under it; Esc hides it and the job goes
// on. hide takes it away (the job's done calls it).
func (d dialogs) progress(title string, bar *widget.ProgressBar, step *widget.Label, goesOn string) (hide func()) {
	var above fyne.CanvasObject = widget.NewProgressBarInfinite()
	if bar != nil {
		above = bar
	}
	step.Truncation = fyne.TextTruncateEllipsis
	hint := widget.NewLabel("Esc hides this; " + goesOn)
	hint.Importance = widget.LowImportance
	dl := dialog.NewCustomWithoutButtons(title, container.New(&minWidthLayout{w: dialogWidth}, container.NewVBox(above, step, hint)), d.win)
	hide = func() { d.keys.pop(dl); dl.Hide() }
	d.keys.push(dl, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape {
			hide()
			return true
		}
		return false
	})
	dl.SetOnClosed(func() { d.keys.pop(dl) })
	dl.Show()
	return hide
}
