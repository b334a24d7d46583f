package topology_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// listJSON fabricates `wezterm cli list --format json` for n panes: four
// panes a tab, four tabs a window, windows spread over 20 workspaces.
func listJSON(n int) []byte {
	items := make([]map[string]any, n)
	for i := range items {
		tty := fmt.Sprintf("/dev/pts/%d", i)
		items[i] = map[string]any{
			"window_id": i / 16, "tab_id": i / 4, "pane_id": i, "workspace": fmt.Sprintf("ws-%02d", i/16%20),
			"size":  map[string]int{"rows": 24, "cols": 80, "pixel_width": 640, "pixel_height": 384, "dpi": 96},
			"title": fmt.Sprintf("agent %d", i), "cwd": "file:///home/alice/src/project-x/",
			"cursor_x": 0, "cursor_y": 0, "cursor_shape": "Default", "cursor_visibility": "Visible",
			"left_col": (i % 2) * 81, "top_row": (i / 2 % 2) * 25, "tab_title": "", "window_title": "w",
			"is_active": i%4 == 0, "is_zoomed": false, "tty_name": tty,
		}
	}
	b, _ := json.MarshalIndent(items, "", "  ")
	return b
}

// BenchmarkParseAndBuild500 is the per-tick cost of turning `list` output
// into the tree for 500 panes.
func BenchmarkParseAndBuild500(b *testing.B) {
	data := listJSON(500)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		panes, err := wezterm.ParseList(data)
		if err != nil {
			b.Fatal(err)
		}
		if t := topology.Build(panes, nil); len(t.Workspaces) != 20 {
			b.Fatalf("%d workspaces", len(t.Workspaces))
		}
	}
}
