package ui

import (
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// action is something the user can do: one entry in menus, the toolbar's
// tooltips, the command palette and the keyboard, with its shortcut shown
// wherever it appears.
type action struct {
	id    string
	label string
	icon  fyne.Resource
	key   fyne.KeyName
	mods  fyne.KeyModifier // 0: a plain key (only when nothing has the focus)
	// run gets the window when it runs: an action never holds a view (a
	// method value bound before the view existed would be a nil receiver).
	run     func(w *Window)
	enabled func() bool // nil: always
	w       *Window
}

// keyLabel is the shortcut as the user types it ("Ctrl+D", "⌘D", "Del").
func (a *action) keyLabel() string {
	if a.key == "" {
		return ""
	}
	var parts []string
	mac := runtime.GOOS == "darwin"
	if a.mods&fyne.KeyModifierShortcutDefault != 0 {
		if mac {
			parts = append(parts, "⌘")
		} else {
			parts = append(parts, "Ctrl")
		}
	}
	if a.mods&fyne.KeyModifierShift != 0 {
		parts = append(parts, "Shift")
	}
	name := string(a.key)
	switch a.key {
	case fyne.KeyDelete:
		name = "Del"
	case fyne.KeyReturn:
		name = "Enter"
	case fyne.KeyComma:
		name = ","
	}
	parts = append(parts, name)
	if mac {
		return strings.Join(parts, "")
	}
	return strings.Join(parts, "+")
}

// tip is the tooltip text: the label and the shortcut.
func (a *action) tip() string {
	if k := a.keyLabel(); k != "" {
		return a.label + "  (" + k + ")"
	}
	return a.label
}

func (a *action) ok() bool { return a.enabled == nil || a.enabled() }

// trigger runs the action if it is enabled now.
func (a *action) trigger() {
	if a.ok() {
		a.run(a.w)
	}
}

// menuItem is the action in a menu, with its shortcut shown.
func (a *action) menuItem() *fyne.MenuItem {
	it := fyne.NewMenuItem(a.label, a.trigger)
	if a.key != "" && a.mods != 0 {
		it.Shortcut = &desktop.CustomShortcut{KeyName: a.key, Modifier: a.mods}
	}
	it.Disabled = !a.ok()
	return it
}

// actions is the window's action registry.
type actions struct {
	w    *Window
	list []*action
	byID map[string]*action
	// tips and tools: the buttons made for actions, which the window
	// enables as their actions apply.
	tips  *tips
	tools map[string]*tipButton
}

// button is a button for action id, with its tooltip (the label and the
// shortcut); an empty label makes a quiet icon button.
func (as *actions) button(id, label string, icon fyne.Resource) *tipButton {
	a := as.get(id)
	b := newTipButton(label, icon, a.tip(), as.tips, a.trigger)
	if label == "" {
		b.Importance = widget.LowImportance
	}
	if id == "kill" {
		b.Importance = widget.DangerImportance
	}
	as.tools[id] = b
	return b
}

func (as *actions) add(a *action) *action {
	if as.byID == nil {
		as.byID = map[string]*action{}
	}
	a.w = as.w
	as.list = append(as.list, a)
	as.byID[a.id] = a
	return a
}

func (as *actions) get(id string) *action { return as.byID[id] }

// bind registers every shortcut with modifiers on the canvas. Fyne turns
// Ctrl+A, C, V, X, Z and Y into its own shortcuts before custom ones are
// looked up: those are bound as Fyne's (they reach the canvas only when
// no text field has the focus, which keeps them for the field then).
func (as *actions) bind(c fyne.Canvas) {
	for _, a := range as.list {
		if a.key == "" || a.mods == 0 {
			continue
		}
		run := func(fyne.Shortcut) { a.trigger() }
		if std := standardShortcut(a.key, a.mods); std != nil {
			c.AddShortcut(std, run)
			continue
		}
		c.AddShortcut(&desktop.CustomShortcut{KeyName: a.key, Modifier: a.mods}, run)
	}
}

// standardShortcut is Fyne's own shortcut for key+mods, if it has one.
func standardShortcut(key fyne.KeyName, mods fyne.KeyModifier) fyne.Shortcut {
	if mods != fyne.KeyModifierShortcutDefault {
		return nil
	}
	switch key {
	case fyne.KeyA:
		return &fyne.ShortcutSelectAll{}
	case fyne.KeyC:
		return &fyne.ShortcutCopy{}
	case fyne.KeyV:
		return &fyne.ShortcutPaste{}
	case fyne.KeyX:
		return &fyne.ShortcutCut{}
	case fyne.KeyZ:
		return &fyne.ShortcutUndo{}
	case fyne.KeyY:
		return &fyne.ShortcutRedo{}
	}
	return nil
}

// plain returns the action bound to an unmodified key.
func (as *actions) plain(k fyne.KeyName) *action {
	for _, a := range as.list {
		if a.key == k && a.mods == 0 {
			return a
		}
	}
	return nil
}
