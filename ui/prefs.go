package ui

import (
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

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/desktop"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// prefsForm is the preferences dialog: a field per key of config.toml.
type prefsForm struct {
	wezterm, layoutsDir, defaultCWD, agent  *keyEntry
	refresh, cpu, mem, after                *keyEntry
	theme                                   *keySelect
	closeToTray, startHidden, notifications *keyCheck
	confirmKill, confirmBroadcast           *keyCheck
	autostart                               *keyCheck
	notifyLayouts, notifyAlerts, notifyExit *keyCheck
	notifyAgents                            *keyCheck
	keepAspect                              *keyCheck
}

// newPrefsForm builds the fields; pass gets the keys a focused field does
// not use (Esc closes the dialog wherever the focus is).
func newPrefsForm(p config.Preferences, pass func(*fyne.KeyEvent)) *prefsForm {
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
		wezterm:          entry(p.WeztermPath, "wezterm on PATH"),
		layoutsDir:       entry(p.LayoutsDir, "layouts/ beside config.toml"),
		defaultCWD:       entry(p.DefaultCWD, "WezTerm's default"),
		agent:            entry(p.AgentCommand, "a shell, e.g. claude"),
		refresh:          entry(p.RefreshInterval.String(), "1s"),
		cpu:              entry(strconv.FormatFloat(p.CPUAlertPercent, 'f', -1, 64), "90"),
		mem:              entry(strconv.Itoa(p.MemAlertMB), "4096"),
		after:            entry(p.AlertAfter.String(), "30s"),
		theme:            newKeySelect([]string{"system", "light", "dark"}, nil, pass),
		closeToTray:      check("Closing the window hides it to the tray", p.CloseToTray),
		startHidden:      check("Start hidden in the tray", p.StartHidden),
		notifications:    check("Desktop notifications", p.Notifications),
		confirmKill:      check("Ask before killing a pane", p.ConfirmKill),
		confirmBroadcast: check("Ask before sending text to several panes", p.ConfirmBroadcast),
	}
	f.theme.SetSelected(p.Theme)
	f.autostart = check("Start at login, hidden in the tray", desktop.Autostarting())
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
		widget.NewFormItem("", f.confirmBroadcast),
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
	p.ConfirmKill, p.ConfirmBroadcast = f.confirmKill.Checked, f.confirmBroadcast.Checked
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
// is on disk, and applies it at once.
func (w *Window) showPrefs() {
	if w.d.Store == nil {
		w.status.fail("no preferences file in use")
		return
	}
	base := w.d.Store.Prefs()
	f := newPrefsForm(base, func(e *fyne.KeyEvent) { w.keys.handle(e.Name) })
	form := widget.NewForm(f.items(w.d.HasTray)...)
	note := widget.NewLabel("Saved to " + w.d.Store.Path() + " (your comments and hand edits stay).")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	scroll := container.NewVScroll(container.NewVBox(form, note))
	var d dialog.Dialog
	closeIt := func() { w.keys.pop(d); d.Hide() }
	save := func() {
		edited, err := f.read(base)
		if err == nil {
			err = w.d.Store.Save(base, edited)
		}
		var ns *config.NotSavedError
		switch {
		case errors.As(err, &ns):
			w.status.fail("preferences " + err.Error())
			return
		case err != nil:
			w.status.fail("preferences not saved: " + err.Error())
			return
		}
		closeIt()
		if w.d.HasTray && f.autostart.Checked != desktop.Autostarting() {
			exe, err := os.Executable()
			if err == nil {
				err = desktop.SetAutostart(f.autostart.Checked, exe)
			}
			if err != nil {
				w.status.fail("preferences saved, but " + err.Error())
				return
			}
		}
		p := w.d.Store.Prefs()
		w.d.SetInterval(p.RefreshInterval)
		w.app.Settings().SetTheme(widgets.NewTheme(p.Theme))
		w.status.info("Preferences saved to " + w.d.Store.Path())
		w.render()
	}
	pass := func(e *fyne.KeyEvent) { w.keys.handle(e.Name) }
	cancel := newKeyButton("Cancel", closeIt, pass)
	ok := newKeyButton("Save", save, pass)
	ok.Importance = widget.HighImportance
	for _, e := range []*keyEntry{f.wezterm, f.refresh, f.layoutsDir, f.defaultCWD, f.agent, f.cpu, f.mem, f.after} {
		e.OnSubmitted = func(string) { save() }
		e.onEscape = closeIt
	}
	content := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, ok), nil, nil, scroll)
	d = dialog.NewCustomWithoutButtons("Preferences", content, w.win)
	w.keys.push(d, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape {
			closeIt()
			return true
		}
		return false
	})
	size := w.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(680, size.Width-40), min(640, size.Height-60)))
	d.Show()
	w.win.Canvas().Focus(f.wezterm)
}
