// Package traymenu is the resident's edge: its tray icon and menu through
// fyne.io/systray directly — no Fyne app, no GL, no 60 Hz loop. Kept apart
// from ui so that the resident links nothing it does not run, and so that
// it can be checked for other systems without a C toolchain.
package traymenu

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"

	"fyne.io/systray"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	wpapp "github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/resident"
	"github.com/wezterm-parallel/wezterm-parallel/internal/session"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/tray"
)

// Run is the process that lives in the tray: the resident service and its
// menu. The window is another process, started from the menu.
func Run(ctx context.Context, p wpapp.GUIParams) int {
	// The resident lives for days beside everything else: a smaller heap
	// headroom (GC at 1.25x the live heap, not 2x) keeps its memory down when
	// it follows a large agent history; it allocates little, so GC costs
	// little more.
	debug.SetGCPercent(25)
	log := p.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	svc := session.Resident(p, log)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		errc <- svc.Run(ctx)
		systray.Quit()
	}()
	edge := &systrayEdge{svc: svc}
	runTray(log, func() {
		// Linux trays may crash on an item without a title (fyne#3678).
		systray.SetTitle("wezterm-parallel")
		systray.SetTooltip("wezterm-parallel")
		edge.setIcon(false)
		edge.set(tray.Model{Status: "Looking for WezTerm…"})
		systray.SetOnTapped(svc.ShowWindow)
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case m := <-svc.Tray():
					edge.set(m)
				}
			}
		}()
	}, cancel)
	cancel()
	if err := <-errc; err != nil {
		log.Error("resident", "err", err)
		fmt.Fprintln(os.Stderr, "wezterm-parallel:", err)
		return 1
	}
	return 0
}

// runTray runs the systray loop on this (the main) thread until Quit.
// fyne.io/systray closes a nil DBus connection when the bus went away
// before it registered (the same fault as fyne#6403): that panic at exit
// is caught and logged, the process ends cleanly.
func runTray(log *slog.Logger, onReady, onExit func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Warn("the tray ended without a session bus", "panic", fmt.Sprint(r))
		}
	}()
	systray.Run(onReady, onExit)
}

// systrayEdge builds the menu from tray models. Nothing here decides.
type systrayEdge struct {
	svc       *resident.Service
	attention bool
	hasIcon   bool
}

func (e *systrayEdge) setIcon(attention bool) {
	if e.hasIcon && attention == e.attention {
		return
	}
	e.hasIcon, e.attention = true, attention
	icon := assets.Icon
	if attention {
		icon = assets.IconAttention
	}
	systray.SetIcon(osIcon(icon))
}

// set rebuilds the menu for m. Removed items close their click channels,
// which ends their goroutines.
func (e *systrayEdge) set(m tray.Model) {
	systray.ResetMenu()
	systray.SetTooltip("wezterm-parallel — " + textsafe.Escape(m.Status))
	status := systray.AddMenuItem(textsafe.Escape(m.Status), "")
	status.Disable()
	systray.AddSeparator()
	if m.WindowShown {
		on(systray.AddMenuItem("Hide panel", "Close the window (the tray keeps watching)"), e.svc.HideWindow)
	} else {
		on(systray.AddMenuItem("Show panel", "Open the window"), e.svc.ShowWindow)
	}
	layouts := systray.AddMenuItem("Layouts", "Launch a layout")
	for _, name := range m.Layouts {
		on(layouts.AddSubMenuItem(textsafe.Escape(name), ""), func() { e.svc.Launch(name) })
	}
	if len(m.Layouts) == 0 {
		layouts.Disable()
	}
	wss := systray.AddMenuItem("Workspaces", "Show a workspace in WezTerm")
	for _, ws := range m.Workspaces {
		on(wss.AddSubMenuItem(textsafe.Escape(ws.Label()), ""), func() { e.svc.Switch(ws.Name) })
	}
	if len(m.Workspaces) == 0 {
		wss.Disable()
	}
	if m.Restore != "" {
		on(systray.AddMenuItem(textsafe.Escape(m.Restore), "Rebuild workspaces, panes and agents from a snapshot"), func() { e.svc.Restore("") })
	}
	if len(m.Attention) > 0 {
		att := systray.AddMenuItem(fmt.Sprintf("Needs attention (%d)", len(m.Attention)), "Agents waiting for you")
		for _, a := range m.Attention {
			on(att.AddSubMenuItem(textsafe.Escape(a.Label), ""), func() { e.svc.Jump(a.Pane) })
		}
	}
	systray.AddSeparator()
	on(systray.AddMenuItem("Preferences…", ""), e.svc.OpenPrefs)
	on(systray.AddMenuItem("Quit", "Quit wezterm-parallel (the tray and the window)"), e.svc.Quit)
	e.setIcon(len(m.Attention) > 0)
}

// on runs f for each click of item, off the tray's goroutine (actions
// call WezTerm).
func on(item *systray.MenuItem, f func()) {
	go func() {
		for range item.ClickedCh {
			go f()
		}
	}()
}

// osIcon is the icon in the format the system's tray takes: PNG, or ICO
// (a PNG inside) on Windows.
func osIcon(png []byte) []byte {
	if runtime.GOOS != "windows" {
		return png
	}
	return pngToICO(png)
}

// pngToICO wraps a PNG in an ICO container (Vista and later read PNG
// entries).
func pngToICO(png []byte) []byte {
	n := len(png)
	out := []byte{0, 0, 1, 0, 1, 0, // reserved, type icon, one image
		0, 0, 0, 0, 1, 0, 32, 0, // 256x256 (0 = 256), no palette, 1 plane, 32 bpp
		byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24),
		22, 0, 0, 0} // offset of the image
	return append(out, png...)
}
