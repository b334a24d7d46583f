package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
)

func newWindowWithStore(t *testing.T) (*Window, *recorder, *config.Store, *time.Duration) {
	a := test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	dir := t.TempDir()
	store := config.Open(filepath.Join(dir, "config.toml"))
	rec := &recorder{}
	var interval time.Duration
	w := New(context.Background(), a, Deps{Control: control.New(rec), Store: store, SetInterval: func(d time.Duration) { interval = d }})
	w.Window().Resize(fyne.NewSize(1280, 800))
	w.Apply(snapshot(false))
	t.Cleanup(w.Window().Close)
	return w, rec, store, &interval
}

func findButton(t *testing.T, root fyne.CanvasObject, text string) *keyButton {
	t.Helper()
	b := find(t, root, func(b *keyButton) bool { return b.Text == text })
	if b == nil {
		t.Fatalf("no %q button", text)
	}
	return b
}

func TestGalleryListsAndLaunches(t *testing.T) {
	w, rec, store, _ := newWindowWithStore(t)
	dir := config.LayoutsDir(store.Prefs(), store.Path())
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "broken.toml"), []byte("[[tabs]]\nsplit = \"sideways\"\npanes = [{}, {}]\n"), 0o600)
	w.v.tabs.SelectIndex(1)
	w.Wait() // the folder is read off the UI goroutine
	if n := len(w.v.layouts.gallery.Objects); n != 3 {
		t.Fatalf("%d layout cards, want the 3 bundled ones", n)
	}
	if !strings.Contains(w.v.layouts.invalid.Text, "broken.toml:2:1: split must be") {
		t.Errorf("invalid layouts: %q", w.v.layouts.invalid.Text)
	}
	// The first card is agents-2x2: its thumbnail has four panes.
	card := w.v.layouts.gallery.Objects[0].(*fyne.Container)
	if title := card.Objects[0].(*widget.Label).Text; title != "agents-2x2" {
		t.Fatalf("first card %q", title)
	}
	test.Tap(findButton(t, card, "Launch"))
	w.Wait()
	if rec.count("spawn") != 1 || rec.count("split-pane") != 3 || rec.count("activate-pane") != 1 {
		t.Errorf("launch calls: %v", rec.calls)
	}
	if !strings.Contains(w.v.status.message(), "Launched agents-2x2: 4 panes") {
		t.Errorf("message %q", w.v.status.message())
	}
	// After a launch the window shows the new panes.
	if w.v.tabs.SelectedIndex() != 0 || w.st.sel.Workspace != "agents" || !w.st.sel.HasDetail || w.st.sel.Detail != 98 {
		t.Errorf("after the launch: tab %d, selection %+v", w.v.tabs.SelectedIndex(), w.st.sel)
	}
}

func TestPreferencesSaveAndApply(t *testing.T) {
	w, _, store, interval := newWindowWithStore(t)
	w.acts.get("prefs").trigger()
	w.Wait()
	top := w.Window().Canvas().Overlays().Top()
	refresh := find(t, top, func(e *keyEntry) bool { return e.Text == "1s" })
	if refresh == nil {
		t.Fatal("no refresh field")
	}
	refresh.SetText("2s")
	test.Tap(findButton(t, top, "Save"))
	w.Wait()
	if *interval != 2*time.Second || store.Prefs().RefreshInterval != 2*time.Second {
		t.Fatalf("interval %v, prefs %v; message %q", *interval, store.Prefs().RefreshInterval, w.v.status.message())
	}
	data, _ := os.ReadFile(store.Path())
	if !strings.Contains(string(data), "refresh_interval = \"2s\"") || !strings.Contains(string(data), "# wezterm-parallel preferences") {
		t.Errorf("config.toml:\n%s", data)
	}
}
