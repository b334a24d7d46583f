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

// show schedules text as a tooltip near at (absolute position).
func (t *tips) show(text string, at fyne.Position) {
	t.hide()
	if text == "" {
		return
	}
	t.gen++
	gen := t.gen
	t.timer = time.AfterFunc(tipDelay, func() {
		onUI(func() {
			if gen != t.gen {
				return
			}
			// Lines are cut, never wrapped: a tooltip is a few short lines.
			var lines []string
			for _, l := range strings.Split(text, "\n") {
				lines = append(lines, widgets.Fit(l, 560, theme.TextSize(), fyne.TextStyle{}))
			}
			t.label.SetText(strings.Join(lines, "\n"))
			size := t.label.MinSize()
			w := size.Width
			t.pop.Resize(size)
			cs := t.win.Canvas().Size()
			pos := at.Add(fyne.NewPos(12, 18))
			if pos.X+w > cs.Width {
				pos.X = max(0, cs.Width-w)
			}
			if pos.Y+t.pop.Size().Height > cs.Height {
				pos.Y = max(0, at.Y-t.pop.Size().Height-4)
			}
			t.pop.ShowAtPosition(pos)
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

// hide cancels a pending tooltip and hides the shown one.
func (t *tips) hide() {
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
