package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	snapshots "github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// blank is WezTerm just started: one shell.
func blank() monitor.Snapshot {
	tty := "/dev/pts/9"
	p := topology.Pane{ID: 0, Title: "bash", CWD: "/home/a", Cols: 160, Rows: 48, TTY: &tty, Workspace: "default",
		Usage: &topology.Usage{CPUPercent: ptr(0.0), RSSBytes: ptr(uint64(4 << 20)), ProcessCount: ptr(1),
			Foreground: &topology.Foreground{PID: 99, Name: "bash", Cmdline: "bash"}}}
	return monitor.Snapshot{Status: monitor.Connected, Tree: topology.Tree{GUIWorkspace: "default", Workspaces: []topology.Workspace{
		{Name: "default", Visible: true, Windows: []topology.Window{{Tabs: []topology.Tab{{Cols: 160, Rows: 48, Panes: []topology.Pane{p}}}}}}}}}
}

// After a reboot WezTerm shows its start-up pane: the window offers the
// snapshot, the dialog says what each pane becomes, Restore carries the
// plan out and says what came back; a dismissed offer stays dismissed.
func TestRestoreOfferDialogAndReport(t *testing.T) {
	dir := t.TempDir()
	store := snapshots.Open(filepath.Join(dir, "snapshots"))
	if _, err := store.Save(snapshots.Take(snapshot(false).Tree, time.Now().Add(-time.Hour), "test")); err != nil {
		t.Fatal(err)
	}
	svc := &restore.Service{Store: store, Home: dir}
	var ran *restore.Plan
	w, _ := newBareWindow(t, func(d *Deps) {
		d.Restore = svc
		d.RestoreRun = func(_ context.Context, p *restore.Plan, progress func(restore.Event)) (restore.Report, error) {
			ran = p
			return restore.Report{Restored: []restore.Done{{Name: "agents", Target: "agents", Windows: 1, Tabs: 1,
				Panes: []wezterm.PaneID{1, 2, 3, 4}}}}, nil
		}
	})
	w.Apply(blank())
	if !w.v.offer.root.Visible() || !strings.HasPrefix(w.v.offer.text.Text, "Restore 2 workspaces, 5 panes") {
		t.Fatalf("no offer: %v %q", w.v.offer.root.Visible(), w.v.offer.text.Text)
	}
	test.Tap(w.v.offer.act)
	top := w.Window().Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	text := allText(t, top)
	for _, want := range []string{"Restore a snapshot", "agents: new — 1 window, 4 panes", "servers: new — 1 window, 1 pane", "Restores 2 workspaces, 5 panes", "each in its folder"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "that folder is gone") != 4 {
		t.Errorf("each pane's note once:\n%s", text)
	}
	test.Tap(findButton(t, top, "Restore"))
	if ran == nil || ran.Summary().Panes != 5 {
		t.Fatalf("plan run: %+v", ran)
	}
	if got := allText(t, w.Window().Canvas().Overlays().Top()); !strings.Contains(got, "restored agents: 1 window, 1 tab, 4 panes") {
		t.Errorf("report:\n%s", got)
	}
	if w.st.sel.Workspace != "agents" || !strings.HasPrefix(w.v.status.message(), "Restored 2 workspaces") {
		t.Errorf("after: workspace %q, status %q", w.st.sel.Workspace, w.v.status.message())
	}

	// WezTerm shows more now: the offer goes; dismissed, it does not come
	// back for the same snapshot.
	w.Apply(snapshot(false))
	if w.v.offer.root.Visible() {
		t.Error("the offer stays over a working set")
	}
	w2, _ := newBareWindow(t, func(d *Deps) { d.Restore = svc })
	w2.Apply(blank())
	w2.rest.dismiss()
	w2.v.offer.hide()
	w2.rest.checked = time.Time{}
	w2.Apply(blank())
	if w2.v.offer.root.Visible() {
		t.Error("a dismissed offer came back")
	}
	// The palette has it; the demo (no service) does not.
	if w2.acts.get("restore") == nil {
		t.Error("no restore action")
	}
	w3, _ := newBareWindow(t, nil)
	if w3.acts.get("restore") != nil {
		t.Error("restore offered without snapshots")
	}
	w3.handle(backend.Request{Op: backend.Restore})
	if !strings.Contains(w3.v.status.message(), "not offered") {
		t.Errorf("status %q", w3.v.status.message())
	}
}

// allText is every visible text under root, a line each.
func allText(t *testing.T, root fyne.CanvasObject) string {
	var b strings.Builder
	walk(t, root, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		switch x := o.(type) {
		case *canvas.Text:
			b.WriteString(x.Text + "\n")
		case *widget.Label:
			b.WriteString(x.Text + "\n")
			return false
		}
		return true
	})
	return b.String()
}
