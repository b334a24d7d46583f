package widgets

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
)

// Every tile size the map can produce, from the smallest window's tiles
// up, keeps CPU and memory whole with their units: nothing of a number
// is cut, whatever else goes.
func TestNumbersNeverCut(t *testing.T) {
	test.NewTempApp(t)
	for _, m := range []viewmodel.Tile{
		{ID: 1, Title: "agent 1", CPU: " 92.0%", Mem: " 24.6 MiB", CPUShort: "92%", MemShort: "25M", CPUValue: 92},
		{ID: 2, Title: "ビルド監視", CPU: "123%", Mem: "  1.2 GiB", CPUShort: "123%", MemShort: "1.2G", CPUValue: 123,
			Spend: viewmodel.Spend{Short: "$0.09", Text: "$0.09 · $0.54/h · 131k tok"},
			Badge: &viewmodel.Badge{Name: "Claude Code", Text: "needs you · 3m", Role: viewmodel.RoleWaiting}},
	} {
		tile := NewTile(m)
		for w := float32(40); w <= 420; w += 10 {
			for h := float32(24); h <= 220; h += 14 {
				tile.Resize(fyne.NewSize(w, h))
				r := test.WidgetRenderer(tile).(*tileRenderer)
				r.Layout(fyne.NewSize(w, h))
				text := r.usage.Text
				if r.spend.Visible() && r.spend.Text == m.MemShort {
					text += " " + r.spend.Text // compact on two lines
				}
				if !r.usage.Visible() || strings.Contains(text, "…") {
					t.Fatalf("pane %d at %vx%v: numbers %q (shown %v)", m.ID, w, h, text, r.usage.Visible())
				}
				whole := (strings.Contains(text, strings.TrimSpace(m.CPU)) && strings.Contains(text, strings.TrimSpace(m.Mem))) ||
					(strings.Contains(text, m.CPUShort) && strings.Contains(text, m.MemShort))
				if !whole {
					t.Fatalf("pane %d at %vx%v: %q lacks its CPU or memory", m.ID, w, h, text)
				}
				if got := fyne.MeasureText(r.usage.Text, r.usage.TextSize, r.usage.TextStyle).Width; got > w {
					t.Fatalf("pane %d at %vx%v: %q is %v wide", m.ID, w, h, text, got)
				}
			}
		}
	}
}
