package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// tips shows one tooltip at a time, after the pointer rests on something
// for a moment (Fyne 2.7 has no tooltips of its own).
type tips struct {
	win   fyne.Window
	pop   *widget.PopUp
	label *widget.Label
	timer *time.Timer
	gen   int
	at    fyne.Position // where the pointer rests (absolute)
	text  string
	// onKey gets the keys a focused tipButton does not use (the window's
	// own keys: arrows, Esc, Delete).
	onKey func(*fyne.KeyEvent)
}

const (
	tipDelay = 600 * time.Millisecond
	// tipLife: a tooltip goes by itself, should the pointer leave without
	// the window telling (a warped pointer, a window resized under it).
	tipLife = 6 * time.Second
)

func newTips(win fyne.Window) *tips {
	l := widget.NewLabel("")
	t := &tips{win: win, label: l}
	t.pop = widget.NewPopUp(l, win.Canvas())
	return t
}

// show schedules text as a tooltip near the pointer, once it rests (at is
// where it entered; move follows it).
func (t *tips) show(text string, at fyne.Position) {
	t.hide()
	if text == "" {
		return
	}
	t.text, t.at = text, at
	t.schedule()
}

// move follows the pointer: the tooltip shows where the pointer rests,
// below it, not where it entered (the top edge of a tall tile, or over
// the header above a toolbar button).
func (t *tips) move(at fyne.Position) {
	t.at = at
	if t.text != "" && !t.pop.Visible() {
		t.schedule()
	}
}

func (t *tips) schedule() {
	if t.timer != nil {
		t.timer.Stop()
	}
	t.gen++
	gen := t.gen
	t.timer = time.AfterFunc(tipDelay, func() {
		onUI(func() {
			if gen != t.gen || t.text == "" {
				return
			}
			t.place()
			time.AfterFunc(tipLife, func() {
				onUI(func() {
					if gen == t.gen && t.pop.Visible() {
						t.pop.Hide()
					}
				})
			})
		})
	})
}

// place shows the tooltip below and right of where the pointer rests,
// inside the window.
func (t *tips) place() {
	// Lines are cut, never wrapped: a tooltip is a few short lines.
	var lines []string
	for _, l := range strings.Split(t.text, "\n") {
		lines = append(lines, widgets.Fit(l, 560, theme.TextSize(), fyne.TextStyle{}))
	}
	t.label.SetText(strings.Join(lines, "\n"))
	size := t.label.MinSize()
	t.pop.Resize(size)
	cs := t.win.Canvas().Size()
	pos := t.at.Add(fyne.NewPos(12, 22))
	if pos.X+size.Width > cs.Width {
		pos.X = max(0, cs.Width-size.Width)
	}
	if pos.Y+size.Height > cs.Height {
		pos.Y = max(0, t.at.Y-size.Height-8)
	}
	t.pop.ShowAtPosition(pos)
}

// hide cancels a pending tooltip and hides the shown one.
func (t *tips) hide() {
	t.text = ""
	t.gen++
	if t.timer != nil {
		t.timer.Stop()
	}
	if t.pop.Visible() {
		t.pop.Hide()
	}
}

// tipButton is a button with a tooltip (its action and shortcut).
type tipButton struct {
	widget.Button
	tip  string
	tips *tips
}

func newTipButton(label string, icon fyne.Resource, tip string, tt *tips, tapped func()) *tipButton {
	b := &tipButton{tip: tip, tips: tt}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn implements desktop.Hoverable.
func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tips.show(b.tip, e.AbsolutePosition)
}

// MouseMoved implements desktop.Hoverable.
func (b *tipButton) MouseMoved(e *desktop.MouseEvent) {
	b.Button.MouseMoved(e)
	b.tips.move(e.AbsolutePosition)
}

// MouseOut implements desktop.Hoverable.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.tips.hide()
}

// TypedKey implements fyne.Focusable: Space and Enter press it, the rest
// go to the window (a button Tab reached never strands the keyboard).
func (b *tipButton) TypedKey(e *fyne.KeyEvent) { buttonKey(&b.Button, b.tips.onKey, e) }

// Tapped hides the tooltip and runs the action.
func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.tips.hide()
	b.Button.Tapped(e)
}
