package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/desktop"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// prefsForm is the preferences dialog: a field per key of config.toml.
type prefsForm struct {
	wezterm, layoutsDir, defaultCWD, agent  *keyEntry
	refresh, cpu, mem, after                *keyEntry
	theme                                   *keySelect
	closeToTray, startHidden, notifications *keyCheck
	confirmKill                             *keyCheck
	autostart                               *keyCheck
	notifyLayouts, notifyAlerts, notifyExit *keyCheck
	notifyAgents                            *keyCheck
	keepAspect                              *keyCheck
}

// newPrefsForm builds the fields; pass gets the keys a focused field does
// not use (Esc closes the dialog wherever the focus is).
func newPrefsForm(p config.Preferences, autostart bool, pass func(*fyne.KeyEvent)) *prefsForm {
	entry := func(v, hint string) *keyEntry {
		e := newKeyEntry(false)
		e.SetText(v)
		e.SetPlaceHolder(hint)
		return e
	}
	check := func(label string, v bool) *keyCheck {
		c := newKeyCheck(label, nil, pass)
		c.SetChecked(v)
		return c
	}
	f := &prefsForm{
		wezterm:       entry(p.WeztermPath, "wezterm on PATH"),
		layoutsDir:    entry(p.LayoutsDir, "layouts/ beside config.toml"),
		defaultCWD:    entry(p.DefaultCWD, "WezTerm's default"),
		agent:         entry(p.AgentCommand, "a shell, e.g. claude"),
		refresh:       entry(p.RefreshInterval.String(), "1s"),
		cpu:           entry(strconv.FormatFloat(p.CPUAlertPercent, 'f', -1, 64), "90"),
		mem:           entry(strconv.Itoa(p.MemAlertMB), "4096"),
		after:         entry(p.AlertAfter.String(), "30s"),
		theme:         newKeySelect([]string{"system", "light", "dark"}, nil, pass),
		closeToTray:   check("Closing the window hides it to the tray", p.CloseToTray),
		startHidden:   check("Start hidden in the tray", p.StartHidden),
		notifications: check("Desktop notifications", p.Notifications),
		confirmKill:   check("Ask before killing a pane", p.ConfirmKill),
	}
	f.theme.SetSelected(p.Theme)
	f.autostart = check("Start at login, hidden in the tray", autostart)
	f.notifyLayouts = check("…when a layout launched or failed", p.NotifyLayouts)
	f.notifyAlerts = check("…when a pane stays above a threshold", p.NotifyThresholds)
	f.notifyExit = check("…when a pane's program exits with an error", p.NotifyExited)
	f.notifyAgents = check("…when an agent starts waiting for you", p.NotifyAgents)
	f.keepAspect = check("Draw tabs with WezTerm's shape (off: tiles fill the space)", p.MapKeepAspect)
	return f
}

// items are the form's rows; tray-only options only where there is a
// tray.
func (f *prefsForm) items(hasTray bool) []*widget.FormItem {
	items := []*widget.FormItem{
		widget.NewFormItem("wezterm binary", f.wezterm),
		widget.NewFormItem("Refresh every", f.refresh),
		widget.NewFormItem("Theme", f.theme),
		widget.NewFormItem("Map", f.keepAspect),
	}
	if hasTray {
		items = append(items, widget.NewFormItem("Tray", f.closeToTray), widget.NewFormItem("", f.startHidden),
			widget.NewFormItem("", f.autostart))
	}
	return append(items,
		widget.NewFormItem("Notifications", f.notifications),
		widget.NewFormItem("", f.notifyLayouts),
		widget.NewFormItem("", f.notifyAlerts),
		widget.NewFormItem("", f.notifyExit),
		widget.NewFormItem("", f.notifyAgents),
		widget.NewFormItem("Confirm", f.confirmKill),
		widget.NewFormItem("Layouts folder", f.layoutsDir),
		widget.NewFormItem("Default cwd", f.defaultCWD),
		widget.NewFormItem("Agent command", f.agent),
		widget.NewFormItem("Alert: CPU % (100 = a core)", f.cpu),
		widget.NewFormItem("Alert: memory MiB", f.mem),
		widget.NewFormItem("Alert after", f.after),
	)
}

// read returns the edited preferences, or what is wrong with the form.
func (f *prefsForm) read(base config.Preferences) (config.Preferences, error) {
	p := base
	var errs []string
	p.WeztermPath = strings.TrimSpace(f.wezterm.Text)
	p.LayoutsDir = strings.TrimSpace(f.layoutsDir.Text)
	p.DefaultCWD = strings.TrimSpace(f.defaultCWD.Text)
	p.AgentCommand = strings.TrimSpace(f.agent.Text)
	p.Theme = f.theme.Selected
	p.CloseToTray, p.StartHidden, p.Notifications = f.closeToTray.Checked, f.startHidden.Checked, f.notifications.Checked
	p.ConfirmKill = f.confirmKill.Checked
	p.NotifyLayouts, p.NotifyThresholds, p.NotifyExited = f.notifyLayouts.Checked, f.notifyAlerts.Checked, f.notifyExit.Checked
	p.NotifyAgents = f.notifyAgents.Checked
	p.MapKeepAspect = f.keepAspect.Checked
	if d, err := time.ParseDuration(strings.TrimSpace(f.refresh.Text)); err != nil || d < 250*time.Millisecond || d > time.Minute {
		errs = append(errs, "refresh: a duration from 250ms to 1m, like 1s")
	} else {
		p.RefreshInterval = d
	}
	if v, err := strconv.ParseFloat(strings.TrimSpace(f.cpu.Text), 64); err != nil || v <= 0 {
		errs = append(errs, "CPU alert: a number above 0")
	} else {
		p.CPUAlertPercent = v
	}
	if v, err := strconv.Atoi(strings.TrimSpace(f.mem.Text)); err != nil || v <= 0 {
		errs = append(errs, "memory alert: a whole number of MiB above 0")
	} else {
		p.MemAlertMB = v
	}
	if d, err := time.ParseDuration(strings.TrimSpace(f.after.Text)); err != nil || d < 0 {
		errs = append(errs, "alert after: a duration like 30s")
	} else {
		p.AlertAfter = d
	}
	if len(errs) > 0 {
		return base, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return p, nil
}

// showPrefs opens the preferences: the form scrolls, Save and Cancel stay
// in view; Esc cancels. Save writes only what changed, over the file as it
// is on disk (off the UI goroutine), and applied gets the result.
func showPrefs(d dialogs, b *backend.Backend, j *jobs, say *statusView, applied func(config.Preferences)) {
	if b.Store == nil {
		say.fail("no preferences file in use")
		return
	}
	// Whether the app starts at login is a file of the desktop's: read off
	// the UI goroutine, then the dialog opens.
	run(j, func(context.Context) (bool, error) { return desktop.Autostarting(), nil }, func(autostart bool, _ error) {
		openPrefs(d, b, j, say, autostart, applied)
	})
}

func openPrefs(d dialogs, b *backend.Backend, j *jobs, say *statusView, autostart bool, applied func(config.Preferences)) {
	store := b.Store
	base := store.Prefs()
	f := newPrefsForm(base, autostart, d.pass)
	form := widget.NewForm(f.items(b.HasTray)...)
	note := widget.NewLabel("Saved to " + textsafe.Escape(store.Path()) + " (your comments and hand edits stay).")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	scroll := container.NewVScroll(container.NewVBox(form, note))
	var dlg dialog.Dialog
	closeIt := func() { d.keys.pop(dlg); dlg.Hide() }
	save := func() {
		edited, err := f.read(base)
		if err != nil {
			say.fail("preferences not saved: " + err.Error())
			return
		}
		wantAuto := f.autostart.Checked
		type outcome struct {
			saved bool
			msg   string
		}
		run(j, func(context.Context) (outcome, error) {
			if err := store.Save(base, edited); err != nil {
				var ns *config.NotSavedError
				if errors.As(err, &ns) {
					return outcome{}, fmt.Errorf("preferences %w", err)
				}
				return outcome{}, fmt.Errorf("preferences not saved: %w", err)
			}
			if b.HasTray && wantAuto != autostart {
				exe, err := os.Executable()
				if err == nil {
					err = desktop.SetAutostart(wantAuto, exe)
				}
				if err != nil {
					return outcome{saved: true}, fmt.Errorf("preferences saved, but %w", err)
				}
			}
			return outcome{true, "Preferences saved to " + store.Path()}, nil
		}, func(o outcome, err error) {
			if !o.saved {
				say.fail(textsafe.Escape(err.Error()))
				return // the dialog stays: nothing the user typed is lost
			}
			closeIt()
			p := store.Prefs()
			if b.SetInterval != nil {
				b.SetInterval(p.RefreshInterval)
			}
			applied(p)
			report(say, textsafe.Escape(o.msg), err)
		})
	}
	cancel := newKeyButton("Cancel", closeIt, d.pass)
	ok := newKeyButton("Save", save, d.pass)
	ok.Importance = widget.HighImportance
	for _, e := range []*keyEntry{f.wezterm, f.refresh, f.layoutsDir, f.defaultCWD, f.agent, f.cpu, f.mem, f.after} {
		e.OnSubmitted = func(string) { save() }
		e.onEscape = closeIt
	}
	content := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, ok), nil, nil, scroll)
	dlg = dialog.NewCustomWithoutButtons("Preferences", content, d.win)
	d.keys.push(dlg, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape {
			closeIt()
			return true
		}
		return false
	})
	size := d.win.Canvas().Size()
	dlg.Resize(fyne.NewSize(min(680, size.Width-40), min(640, size.Height-60)))
	dlg.Show()
	d.win.Canvas().Focus(f.wezterm)
}
