package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/tray"
)

// trayEdge carries out tray models (decided in internal/decide): it builds
// the menu and swaps the icon. Nothing here decides anything.
type trayEdge struct {
	desk      desktop.App
	w         *Window
	model     tray.Model
	attention bool
}

// enableTray shows the tray icon; false when the app has no tray.
func (w *Window) enableTray() *trayEdge {
	desk, ok := w.app.(desktop.App)
	if !ok {
		return nil
	}
	t := &trayEdge{desk: desk, w: w}
	desk.SetSystemTrayIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	// Fyne starts the tray only if it has a menu when the app starts
	// running: a first menu now, the real one with the first snapshot.
	t.set(tray.Model{Status: "Looking for WezTerm…", WindowShown: w.Shown()})
	return t
}

// set shows model m (on the UI goroutine).
func (t *trayEdge) set(m tray.Model) {
	t.model = m
	t.desk.SetSystemTrayMenu(t.menu(m))
	if need := len(m.Attention) > 0; need != t.attention {
		t.attention = need
		icon := assets.Icon
		if need {
			icon = assets.IconAttention
		}
		t.desk.SetSystemTrayIcon(fyne.NewStaticResource("icon.png", icon))
	}
}

func (t *trayEdge) menu(m tray.Model) *fyne.Menu {
	w := t.w
	status := fyne.NewMenuItem(m.Status, nil)
	status.Disabled = true
	toggle := fyne.NewMenuItem("Show panel", w.ShowWindow)
	if m.WindowShown {
		toggle = fyne.NewMenuItem("Hide panel", w.HideWindow)
	}
	layouts := fyne.NewMenuItem("Layouts", nil)
	var litems []*fyne.MenuItem
	for _, name := range m.Layouts {
		name := name
		litems = append(litems, fyne.NewMenuItem(textsafe.Escape(name), func() { w.launchByName(name) }))
	}
	layouts.ChildMenu = fyne.NewMenu("", litems...)
	wss := fyne.NewMenuItem("Workspaces", nil)
	var witems []*fyne.MenuItem
	for _, ws := range m.Workspaces {
		name := ws.Name
		witems = append(witems, fyne.NewMenuItem(textsafe.Escape(ws.Label()), func() { w.switchTo(name) }))
	}
	wss.ChildMenu = fyne.NewMenu("", witems...)
	items := []*fyne.MenuItem{status, fyne.NewMenuItemSeparator(), toggle, layouts, wss}
	if len(m.Attention) > 0 {
		att := fyne.NewMenuItem("Needs attention", nil)
		var aitems []*fyne.MenuItem
		for _, a := range m.Attention {
			id := a.Pane
			aitems = append(aitems, fyne.NewMenuItem(textsafe.Escape(a.Label), func() {
				w.ShowWindow()
				w.selectAndJump(id)
			}))
		}
		att.ChildMenu = fyne.NewMenu("", aitems...)
		items = append(items, att)
	}
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Preferences…", func() {
		w.ShowWindow()
		w.showPrefs()
	}))
	// Fyne adds Quit to the tray menu itself.
	return fyne.NewMenu("wezterm-parallel", items...)
}

func (w *Window) switchTo(ws string) {
	w.run(func(ctx context.Context) (string, error) {
		if err := w.ctl.Switch(ctx, ws); err != nil {
			return "", err
		}
		return fmt.Sprintf("WezTerm shows workspace %s", textsafe.Quote(ws)), nil
	})
}
