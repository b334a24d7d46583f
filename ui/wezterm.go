package ui

import (
	"context"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
)

// weztermActions set WezTerm up: where its binary is, starting it, the
// demo instead, and the workspace-switch snippet in its config.
type weztermActions struct {
	b      *backend.Backend
	jobs   *jobs
	say    *statusView
	dlg    dialogs
	banner *bannerView
	// dismissed says the user closed the snippet's banner.
	dismissed func() bool
	checked   bool // the snippet was looked for (once WezTerm answered)
}

func (a *weztermActions) setPath() {
	if a.b.SetWezterm == nil {
		return
	}
	e := newKeyEntry(false)
	e.SetPlaceHolder("/usr/bin/wezterm")
	e.SetText(a.b.Prefs().WeztermPath)
	a.dlg.form("Where is wezterm?", "Use it", false, nil, []field{{label: "Path", entry: e, hint: "Saved as wezterm_path in the preferences."}}, func() {
		path := strings.TrimSpace(e.Text)
		act(a.jobs, a.say, func(context.Context) (string, error) {
			if err := a.b.SetWezterm(path); err != nil {
				return "", err
			}
			return "Looking for WezTerm at " + path, nil
		})
	})
}

// start starts WezTerm where the app looks and says within a few seconds
// whether it answers.
func (a *weztermActions) start() {
	if a.b.StartWezterm == nil {
		return
	}
	a.say.info("Starting WezTerm…")
	act(a.jobs, a.say, func(ctx context.Context) (string, error) {
		if err := a.b.StartWezterm(ctx); err != nil {
			return "", err
		}
		return "WezTerm started", nil
	})
}

func (a *weztermActions) demo() {
	if a.b.StartDemo == nil {
		return
	}
	a.say.info("Starting the demo…")
	act(a.jobs, a.say, func(ctx context.Context) (string, error) {
		sock, err := a.b.StartDemo(ctx)
		if err != nil {
			return "", err
		}
		return "Demo: a stand-in WezTerm with real programs on real ptys (socket " + sock + ")", nil
	})
}

// checkSnippet offers the snippet in the banner when WezTerm's config
// lacks it (read off the UI goroutine), unless the user dismissed it: once,
// when WezTerm first answers (without WezTerm, the snippet is not what the
// user needs to hear about).
func (a *weztermActions) checkSnippet() {
	if a.checked || a.b.SnippetMissing == nil || a.dismissed() {
		return
	}
	a.checked = true
	run(a.jobs, func(ctx context.Context) (bool, error) { return a.b.SnippetMissing(ctx), nil }, func(missing bool, _ error) {
		if missing {
			a.banner.show("Jumping to a pane in another workspace needs a small Lua snippet in your wezterm.lua: WezTerm has no command "+
				"that switches its workspace. Installing adds one line at the top of your config (with a backup) and a module file in ~/.wezterm.",
				"Install it", a.installSnippet)
		}
	})
}

// noSnippet explains, after a jump, why WezTerm stayed on its workspace.
func (a *weztermActions) noSnippet() {
	if a.b.InstallSnippet == nil {
		return
	}
	a.banner.show("WezTerm stayed on its workspace: switching needs a small Lua snippet in your wezterm.lua. "+
		"The pane was focused within its own workspace.", "Install it", a.installSnippet)
}

func (a *weztermActions) installSnippet() {
	if a.b.InstallSnippet == nil {
		return
	}
	run(a.jobs, a.b.InstallSnippet, func(msg string, err error) {
		if err != nil {
			a.say.fail("Snippet not installed: " + err.Error())
			return
		}
		a.banner.hide()
		a.say.info(msg)
	})
}
