package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	snapshots "github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// restoreActions bring a working set back: the banner when WezTerm shows
// nothing but the pane it opened at its start, the dialog (from the
// banner, the palette or the tray) with what each pane becomes, the
// progress and what came back. The snapshots are read off the UI
// goroutine.
type restoreActions struct {
	b      *backend.Backend
	jobs   *jobs
	say    *statusView
	dlg    dialogs
	banner *bannerView
	// live is what WezTerm shows now; notify tells the desktop as the
	// preferences allow; shown shows a restored workspace.
	live   func() topology.Tree
	notify func(k decide.Kind, title, body string)
	shown  func(workspace string)

	checking  bool
	checked   time.Time
	offered   string // the snapshot the banner offers
	dismissed string // the snapshot the user dismissed the banner of
}

// recheck is how often the banner looks at the snapshots again while
// WezTerm shows only its start-up pane.
const recheck = 5 * time.Second

// follow offers a restore for tree when WezTerm has just started and a
// snapshot is worth restoring; it hides the offer once WezTerm shows more.
// Cheap on every snapshot: the folder is read (off the UI goroutine) only
// for a blank WezTerm, at most every recheck.
func (r *restoreActions) follow(tree topology.Tree) {
	if r.b.Restore == nil {
		return
	}
	if !restore.Blank(tree) {
		if r.offered != "" {
			r.offered = ""
			r.banner.hide()
		}
		return
	}
	if r.checking || time.Since(r.checked) < recheck {
		return
	}
	r.checking, r.checked = true, time.Now()
	svc := r.b.Restore
	run(r.jobs, func(context.Context) (restore.Banner, error) {
		b, _ := svc.Offer(tree, time.Now()) // none: no snapshot to offer
		return b, nil
	}, func(b restore.Banner, _ error) {
		r.checking = false
		if b.Snapshot == "" || b.Snapshot == r.dismissed || b.Snapshot == r.offered {
			return
		}
		r.offered = b.Snapshot
		r.banner.show(textsafe.Escape(b.Text)+". Each pane in its folder, agents back in their conversations; you see every program first.",
			"Restore…", func() { r.open(b.Snapshot) })
	})
}

// dismiss remembers that the user closed the offer of the snapshot
// shown (it is not offered again in this window).
func (r *restoreActions) dismiss() { r.dismissed = r.offered }

// restoreForm is the dialog's state: the snapshot chosen, the choices,
// and the plan they give against what WezTerm shows.
type restoreForm struct {
	id      string
	infos   []snapshots.Info
	info    snapshots.Info
	choices restore.Choices
	plan    *restore.Plan
}

// open shows the restore dialog for snapshot id ("" the newest worth
// restoring), planned off the UI goroutine.
func (r *restoreActions) open(id string) {
	if r.b.Restore == nil {
		r.say.fail("Restoring is not offered here (the demo keeps no snapshots)")
		return
	}
	f := &restoreForm{id: id, choices: restore.Choices{Existing: map[string]restore.Action{}}}
	tree := r.live()
	svc := r.b.Restore
	run(r.jobs, func(context.Context) (*restoreForm, error) {
		infos, err := svc.Infos()
		if err != nil {
			return nil, err
		}
		f.infos = infos
		return f, f.replan(svc, tree)
	}, func(f *restoreForm, err error) {
		if err != nil {
			r.say.fail(textsafe.Escape("restore: " + err.Error()))
			return
		}
		r.dialog(f)
	})
}

// replan plans f's snapshot with f's choices against tree (reads the
// snapshot: off the UI goroutine).
func (f *restoreForm) replan(svc *restore.Service, tree topology.Tree) error {
	p, info, err := svc.Plan(f.id, tree, f.choices)
	if err != nil {
		return err
	}
	f.plan, f.info, f.id = p, info, info.ID
	return nil
}

// label names a snapshot in the picker.
func snapshotLabel(in snapshots.Info, now time.Time) string {
	return restore.When(in.Confirmed, now) + " — " + in.Summary.Describe()
}

var actionLabels = []struct {
	a    restore.Action
	text string
}{{restore.Merge, "add the tabs it lacks"}, {restore.Copy, "open it again as a copy"}, {restore.Skip, "skip it"}}

// dialog shows f: the snapshot picker, a choice per workspace that is
// there already, "run every program", what each pane becomes (escaped, as
// the layout trust prompt shows it), and Restore.
func (r *restoreActions) dialog(f *restoreForm) {
	now := time.Now()
	body := container.NewVBox()
	lines := widget.NewLabel("")
	lines.TextStyle = fyne.TextStyle{Monospace: true}
	lines.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(lines)
	scroll.SetMinSize(fyne.NewSize(640, 240))
	summary := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	summary.Wrapping = fyne.TextWrapWord
	remember := newKeyCheck("", nil, r.dlg.pass)
	var d dialog.Dialog
	var fill func()
	svc := r.b.Restore
	replan := func() {
		tree := r.live()
		run(r.jobs, func(context.Context) (struct{}, error) { return struct{}{}, f.replan(svc, tree) }, func(_ struct{}, err error) {
			if err != nil {
				r.say.fail(textsafe.Escape("restore: " + err.Error()))
				return
			}
			fill()
		})
	}
	// The picker: the snapshots worth restoring, newest first.
	var labels []string
	byLabel := map[string]string{}
	for _, in := range f.infos {
		if in.Err != "" || in.Blank || in.Summary.Panes == 0 {
			continue
		}
		l := snapshotLabel(in, now)
		labels = append(labels, l)
		byLabel[l] = in.ID
	}
	pick := newKeySelect(labels, nil, r.dlg.pass)
	pick.SetSelected(snapshotLabel(f.info, now))
	pick.OnChanged = func(l string) {
		if id := byLabel[l]; id != "" && id != f.id {
			f.id, f.choices.Existing = id, map[string]restore.Action{}
			replan()
		}
	}
	runAll := newKeyCheck("Run every program now (otherwise only those in [restore] run; the others wait at their prompt for your Enter)", func(on bool) {
		f.choices.RunAll = on
		replan()
	}, r.dlg.pass)
	existing := container.NewVBox()
	fill = func() {
		p := f.plan
		m := p.Summary()
		text := "Restores " + m.Describe()
		if m.Panes == 0 {
			text = "Everything in this snapshot is there already: nothing to restore"
		}
		summary.SetText(text)
		out := p.Lines()
		// The notes the lines did not say already (each pane's is there).
		said := map[string]bool{}
		for _, l := range out {
			said[strings.TrimPrefix(strings.TrimSpace(l), "note: ")] = true
		}
		var notes []string
		for _, n := range p.Notes() {
			if !said[n] {
				said[n] = true
				notes = append(notes, "  "+n)
			}
		}
		if len(notes) > 0 {
			out = append(append(out, "", "Notes:"), notes...)
		}
		lines.SetText(strings.Join(out, "\n")) // escaped by the plan
		existing.Objects = nil
		for _, wp := range p.Workspaces {
			if !wp.Exists {
				continue
			}
			name := wp.Name
			var opts []string
			for _, al := range actionLabels {
				opts = append(opts, al.text)
			}
			sel := newKeySelect(opts, nil, r.dlg.pass)
			for _, al := range actionLabels {
				if al.a == wp.Action {
					sel.SetSelected(al.text)
				}
			}
			sel.OnChanged = func(s string) {
				for _, al := range actionLabels {
					if al.text == s && f.choices.Existing[name] != al.a {
						f.choices.Existing[name] = al.a
						replan()
					}
				}
			}
			existing.Add(container.NewBorder(nil, nil, widget.NewLabel(textsafe.Quote(name)+" is there already:"), nil, sel))
		}
		existing.Refresh()
		if waits := waiting(p); len(waits) > 0 {
			remember.Text = "Always run these without asking (adds them to [restore] run): " + textsafe.Escape(strings.Join(waits, ", "))
			remember.Show()
		} else {
			remember.SetChecked(false)
			remember.Hide()
		}
		remember.Refresh()
	}
	fill()
	body.Add(widget.NewLabelWithStyle("Snapshot", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	body.Add(pick)
	body.Add(existing)
	body.Add(summary)
	keys := r.dlg.keys
	var closed bool
	closeIt := func() {
		if !closed {
			closed = true
			keys.pop(d)
			d.Hide()
		}
	}
	start := func() {
		if f.plan.Empty() {
			closeIt()
			r.say.info("Nothing to restore: every workspace of the snapshot is there already")
			return
		}
		closeIt()
		r.run(f, remember.Checked)
	}
	cancel := newKeyButton("Cancel", closeIt, r.dlg.pass)
	ok := newKeyButton("Restore", start, r.dlg.pass)
	ok.Importance = widget.HighImportance
	buttons := container.NewHBox(layout.NewSpacer(), cancel, ok)
	content := container.NewBorder(body, container.NewVBox(runAll, remember, buttons), nil, nil, scroll)
	d = dialog.NewCustomWithoutButtons("Restore a snapshot", content, r.dlg.win)
	keys.push(d, func(k fyne.KeyName) bool {
		switch k {
		case fyne.KeyEscape:
			closeIt()
			return true
		case fyne.KeyReturn, fyne.KeyEnter:
			start()
			return true
		}
		return false
	})
	d.SetOnClosed(func() { closed = true; keys.pop(d) })
	size := r.dlg.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(820, size.Width-40), min(660, size.Height-60)))
	d.Show()
	r.dlg.win.Canvas().Unfocus()
}

// waiting are the command lines the plan types and leaves for the user's
// Enter.
func waiting(p *restore.Plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, row := range p.Rows() {
		if row.Mode == restore.Waits && !seen[row.Command] {
			seen[row.Command] = true
			out = append(out, row.Command)
		}
	}
	return out
}

// run carries the plan out with its progress shown, then says what came
// back and what did not.
func (r *restoreActions) run(f *restoreForm, remember bool) {
	step := widget.NewLabel("Starting…")
	hide := r.dlg.progress("Restoring "+f.info.Summary.Describe(), nil, step, "the restore goes on")
	progress := func(ev restore.Event) {
		text := fmt.Sprintf("Workspace %d of %d, %s: %s", ev.WorkspaceIndex, ev.Workspaces, textsafe.Quote(ev.Target), ev.Step.Step.Human(0))
		onUI(func() { step.SetText(text) })
	}
	svc, plan, waits := r.b.Restore, f.plan, waiting(f.plan)
	type outcome struct {
		rep        restore.Report
		remembered error
	}
	runWithin(r.jobs, longTimeout, func(ctx context.Context) (outcome, error) {
		var o outcome
		if remember && len(waits) > 0 {
			o.remembered = svc.Remember(waits)
		}
		rep, err := r.b.RestoreRun(ctx, plan, progress)
		o.rep = rep
		return o, err
	}, func(o outcome, err error) {
		hide()
		lines := o.rep.Lines()
		if o.remembered != nil {
			lines = append(lines, "not remembered in [restore] run: "+textsafe.Escape(o.remembered.Error()))
		}
		title := "Restored " + f.info.Summary.Describe()
		if err != nil {
			title = "The restore stopped"
			lines = append(lines, "", textsafe.Escape(err.Error()))
			r.say.fail(textsafe.Escape("restore: " + err.Error()))
		} else {
			r.say.info(title)
		}
		r.notify(decide.Layout, title, strings.Join(lines, "\n"))
		r.report(title, lines)
		if len(o.rep.Restored) > 0 {
			r.shown(o.rep.Restored[0].Target)
		}
	})
}

// report shows what a restore did, line by line; Enter or Esc closes it.
func (r *restoreActions) report(title string, lines []string) {
	text := widget.NewLabel(strings.Join(lines, "\n"))
	text.TextStyle = fyne.TextStyle{Monospace: true}
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(560, 160))
	keys := r.dlg.keys
	var d dialog.Dialog
	closeIt := func() { keys.pop(d); d.Hide() }
	ok := newKeyButton("Close", closeIt, r.dlg.pass)
	ok.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), ok), nil, nil, scroll), r.dlg.win)
	keys.push(d, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape || k == fyne.KeyReturn || k == fyne.KeyEnter {
			closeIt()
			return true
		}
		return false
	})
	d.SetOnClosed(func() { keys.pop(d) })
	d.Show()
}
