package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne gives keys to the focused widget first, and its buttons, checks,
// lists and tables drop what they do not use: after Tab put the focus on
// one, Esc, Enter and the arrows went nowhere. These wrappers keep what
// the widget itself uses and pass the rest on (to the dialog on top, else
// the window), so the keyboard is never stranded.

// keyButton is a button that passes on the keys it does not use: Space
// and Enter press it, Esc and the rest go to fallback.
type keyButton struct {
	widget.Button
	fallback func(*fyne.KeyEvent)
}

func newKeyButton(label string, tapped func(), fallback func(*fyne.KeyEvent)) *keyButton {
	b := &keyButton{fallback: fallback}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func newKeyButtonWithIcon(label string, icon fyne.Resource, tapped func(), fallback func(*fyne.KeyEvent)) *keyButton {
	b := newKeyButton(label, tapped, fallback)
	b.Icon = icon
	return b
}

// TypedKey implements fyne.Focusable.
func (b *keyButton) TypedKey(e *fyne.KeyEvent) { buttonKey(&b.Button, b.fallback, e) }

func buttonKey(b *widget.Button, fallback func(*fyne.KeyEvent), e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	default:
		if fallback != nil {
			fallback(e)
		}
	}
}

// keyCheck is a check box that passes on the keys it does not use.
type keyCheck struct {
	widget.Check
	fallback func(*fyne.KeyEvent)
}

func newKeyCheck(label string, changed func(bool), fallback func(*fyne.KeyEvent)) *keyCheck {
	c := &keyCheck{fallback: fallback}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey implements fyne.Focusable.
func (c *keyCheck) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeySpace {
		c.Check.TypedKey(e)
		return
	}
	if c.fallback != nil {
		c.fallback(e)
	}
}

// keySelect is a drop-down that passes on Esc and Enter when closed.
type keySelect struct {
	widget.Select
	fallback func(*fyne.KeyEvent)
}

func newKeySelect(options []string, changed func(string), fallback func(*fyne.KeyEvent)) *keySelect {
	s := &keySelect{fallback: fallback}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey implements fyne.Focusable.
func (s *keySelect) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeySpace, fyne.KeyUp, fyne.KeyDown:
		s.Select.TypedKey(e)
	default:
		if s.fallback != nil {
			s.fallback(e)
		}
	}
}

// keyTable is the pane table: Up and Down move the selection (the
// window's), Enter and the rest go to the window.
type keyTable struct {
	widget.Table
	fallback func(*fyne.KeyEvent)
}

// TypedKey implements fyne.Focusable.
func (t *keyTable) TypedKey(e *fyne.KeyEvent) {
	if t.fallback != nil {
		t.fallback(e)
	}
}

// keyList is the workspace list: Up and Down move through it (its own
// keys); Esc, Enter and the rest go to the window.
type keyList struct {
	widget.List
	fallback func(*fyne.KeyEvent)
}

// TypedKey implements fyne.Focusable.
func (l *keyList) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyUp, fyne.KeyDown, fyne.KeySpace:
		l.List.TypedKey(e)
	default:
		if l.fallback != nil {
			l.fallback(e)
		}
	}
}

// watch follows Shift on a desktop canvas.
func (k *keyRouter) watch(c fyne.Canvas) {
	dc, ok := c.(desktop.Canvas)
	if !ok {
		return
	}
	dc.SetOnKeyDown(func(e *fyne.KeyEvent) {
		if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
			k.shift = true
		}
	})
	dc.SetOnKeyUp(func(e *fyne.KeyEvent) {
		if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
			k.shift = false
		}
	})
}
