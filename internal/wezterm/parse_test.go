package wezterm_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm/weztermtest"
)

// TestParseFixtures parses every file in ../shared/fixtures/wezterm with the
// parser its name calls for, and checks values read off by hand.
func TestParseFixtures(t *testing.T) {
	dir := weztermtest.FixturesDir(t)
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".src.txt") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		panes       int
		first       wezterm.PaneID
		title0      string
		hasPosition bool
		hasState    bool
	}
	wants := map[string]want{
		"list-sample.json":         {5, 0, "vim main.go", true, true},
		"list-sample.table.txt":    {5, 0, "vim main.go", false, false},
		"real/real-1.json":         {1, 0, "cmd.exe", true, true},
		"real/real-2.json":         {1, 0, "⠂ cc-mission-control-impl", true, true},
		"real/real-3.table.txt":    {2, 0, "⠐ Claude Code", false, false},
		"real/real-4.table.txt":    {1, 0, "cmd.exe", false, false},
		"real/real-5.json":         {1, 350, "hx . ~/C/p/helix-wezterm", false, false},
		"list-clients-sample.json": {},
	}
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := wants[filepath.ToSlash(rel)]
			if !ok {
				t.Fatalf("new fixture %s: add its expected values", rel)
			}
			if strings.HasPrefix(filepath.Base(f), "list-clients") {
				cs, err := wezterm.ParseClients(data)
				if err != nil || len(cs) != 1 || cs[0].Workspace != "default" || *cs[0].FocusedPaneID != 0 ||
					cs[0].IdleTime.D().Milliseconds() != 2117 {
					t.Fatalf("ParseClients = %+v, %v", cs, err)
				}
				return
			}
			var panes []wezterm.Pane
			if strings.HasSuffix(f, ".json") {
				panes, err = wezterm.ParseList(data)
			} else {
				panes, err = wezterm.ParseListTable(string(data))
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(panes) != w.panes || panes[0].PaneID != w.first || panes[0].Title != w.title0 {
				t.Fatalf("got %d panes, first %d %q; want %d, %d %q", len(panes), panes[0].PaneID, panes[0].Title, w.panes, w.first, w.title0)
			}
			if panes[0].HasPosition != w.hasPosition || panes[0].HasState != w.hasState {
				t.Errorf("HasPosition/HasState = %v/%v", panes[0].HasPosition, panes[0].HasState)
			}
		})
	}
}

func TestParseListSampleValues(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(weztermtest.FixturesDir(t), "list-sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	panes, err := wezterm.ParseList(data)
	if err != nil {
		t.Fatal(err)
	}
	p1, p3, p4 := panes[1], panes[3], panes[4]
	if p1.LeftCol != 81 || p1.Size.Cols != 79 || p1.CursorShape != "BlinkingBar" || p1.TTY() != "/dev/pts/2" {
		t.Errorf("pane 1 = %+v", p1)
	}
	// OSC 7 names the host ("laptop"): local on laptop, remote elsewhere
	// (the pane's pty says nothing about where its shell runs).
	if raw := wezterm.ParseCWD(p1.CWD); raw.Host != "laptop" {
		t.Errorf("pane 1 raw cwd = %+v", raw)
	}
	old := wezterm.Hostname
	defer func() { wezterm.Hostname = old }()
	wezterm.Hostname = func() string { return "laptop" }
	if loc := p1.Location(); loc.Host != "" || loc.Path != "/home/alice/src/app" || loc.Where != wezterm.WhereLocal {
		t.Errorf("pane 1 location on laptop = %+v", loc)
	}
	wezterm.Hostname = func() string { return "desktop" }
	if loc := p1.Location(); loc.Host != "laptop" || loc.Where != wezterm.WhereRemote {
		t.Errorf("pane 1 location elsewhere = %+v", loc)
	}
	if p3.TTYName != nil || p3.CWD != "" || p3.Location() != (wezterm.Location{}) {
		t.Errorf("pane 3 (remote) = %+v", p3)
	}
	if !p4.IsZoomed || !p4.IsActive || p4.Workspace != "project-x" || p4.TopRow != 25 {
		t.Errorf("pane 4 = %+v", p4)
	}
}

func TestParseListTableAgreesWithJSON(t *testing.T) {
	dir := weztermtest.FixturesDir(t)
	js, _ := os.ReadFile(filepath.Join(dir, "list-sample.json"))
	tb, _ := os.ReadFile(filepath.Join(dir, "list-sample.table.txt"))
	a, err := wezterm.ParseList(js)
	if err != nil {
		t.Fatal(err)
	}
	b, err := wezterm.ParseListTable(string(tb))
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.WindowID != y.WindowID || x.TabID != y.TabID || x.PaneID != y.PaneID || x.Workspace != y.Workspace ||
			x.Size.Cols != y.Size.Cols || x.Size.Rows != y.Size.Rows || x.Title != y.Title || x.CWD != y.CWD {
			t.Errorf("row %d: json %+v\ntable %+v", i, x, y)
		}
	}
}

func TestParseCWD(t *testing.T) {
	tests := []struct{ in, host, path string }{
		{"", "", ""},
		{"file:///home/alice/project-x/", "", "/home/alice/project-x"},
		{"file://laptop/home/alice/src/app/", "laptop", "/home/alice/src/app"},
		{"file://aurora/home/mjr/code/weft/lace/main", "aurora", "/home/mjr/code/weft/lace/main"},
		{"file:///home/a/My%20Docs/%C3%A9t%C3%A9/", "", "/home/a/My Docs/été"},
		{"file:///C:/Users/Admin/", "", "C:/Users/Admin"},
		{"file:///", "", "/"},
		{"/plain/path", "", "/plain/path"},
	}
	for _, tt := range tests {
		got := wezterm.ParseCWD(tt.in)
		if got.Host != tt.host || got.Path != tt.path {
			t.Errorf("ParseCWD(%q) = %+v, want %q %q", tt.in, got, tt.host, tt.path)
		}
	}
}

func TestParseListVintages(t *testing.T) {
	tests := []struct {
		name            string
		json            string
		position, state bool
		wantErr         bool
	}{
		{"2022-06 (7 fields)", `[{"window_id":0,"tab_id":0,"pane_id":0,"workspace":"default","size":{"rows":24,"cols":80},"title":"t","cwd":""}]`, false, false, false},
		{"2022-08", `[{"window_id":0,"tab_id":0,"pane_id":0,"workspace":"w","size":{"rows":24,"cols":80,"pixel_width":0,"pixel_height":0,"dpi":0},"title":"t","cwd":"","cursor_x":0,"cursor_y":0,"cursor_shape":"Default","cursor_visibility":"Visible","left_col":0,"top_row":0}]`, true, false, false},
		{"2023-04", `[{"window_id":0,"tab_id":0,"pane_id":0,"workspace":"w","size":{"rows":24,"cols":80},"title":"t","cwd":"","left_col":0,"top_row":0,"tab_title":"","window_title":"","is_active":false,"is_zoomed":false,"tty_name":null,"future_field":[1]}]`, true, true, false},
		{"empty list", `[]`, false, false, false},
		{"missing id", `[{"window_id":0,"tab_id":0}]`, false, false, true},
		{"duplicate pane", `[{"window_id":0,"tab_id":0,"pane_id":1},{"window_id":0,"tab_id":0,"pane_id":1}]`, false, false, true},
		{"not an array", `{"window_id":0}`, false, false, true},
		{"wrong type", `[{"window_id":"0","tab_id":0,"pane_id":0}]`, false, false, true},
		{"negative id", `[{"window_id":-1,"tab_id":0,"pane_id":0}]`, false, false, true},
		{"empty", ``, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			panes, err := wezterm.ParseList([]byte(tt.json))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if !errors.Is(err, wezterm.ErrMalformed) {
					t.Errorf("error %v is not ErrMalformed", err)
				}
				return
			}
			if len(panes) > 0 && (panes[0].HasPosition != tt.position || panes[0].HasState != tt.state) {
				t.Errorf("position/state = %v/%v", panes[0].HasPosition, panes[0].HasState)
			}
		})
	}
}

func TestGUIClient(t *testing.T) {
	id := wezterm.Ptr[wezterm.PaneID]
	cs := []wezterm.ClientInfo{
		{PID: 1, IdleTime: wezterm.Duration{Secs: 0}}, // newest input but no focus
		{PID: 2, IdleTime: wezterm.Duration{Secs: 9}, FocusedPaneID: id(1)},
		{PID: 3, IdleTime: wezterm.Duration{Secs: 3}, FocusedPaneID: id(2)},
	}
	if c, ok := wezterm.GUIClient(cs); !ok || c.PID != 3 {
		t.Fatalf("GUIClient = %+v %v, want pid 3", c, ok)
	}
	if _, ok := wezterm.GUIClient(nil); ok {
		t.Fatal("no clients should be !ok")
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		out, raw, date string
		zoom           bool
	}{
		{"wezterm 20240203-110809-5046fc22\n", "20240203-110809-5046fc22", "20240203", true},
		{"wezterm 20230712-072601-f4abf8fd", "20230712-072601-f4abf8fd", "20230712", false},
		{"wezterm 20250320-072107-a8735851\n", "20250320-072107-a8735851", "20250320", true},
		{"wezterm 0-unknown\n", "0-unknown", "", true},
	}
	for _, tt := range tests {
		v := wezterm.ParseVersion(tt.out)
		if v.Raw != tt.raw || v.Date != tt.date || v.Has(wezterm.FeatZoomPane) != tt.zoom {
			t.Errorf("ParseVersion(%q) = %+v (zoom %v)", tt.out, v, v.Has(wezterm.FeatZoomPane))
		}
	}
	if m := wezterm.ParseVersion("wezterm 20220624-141144-bd1b7c5d").Missing(); len(m) == 0 || m[0] != wezterm.FeatListGeometry {
		t.Errorf("Missing() = %v", m)
	}
}

// FuzzParseList: the parser never panics, and what it accepts has unique
// pane ids and survives a JSON round trip.
func FuzzParseList(f *testing.F) {
	for _, name := range []string{"list-sample.json", "real/real-1.json", "real/real-2.json", "real/real-5.json"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "wezterm", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`[{"window_id":0,"tab_id":0,"pane_id":0,"cwd":"file:///%zz","tty_name":""}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"window_id":1e3,"tab_id":0,"pane_id":0}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		panes, err := wezterm.ParseList(data)
		if err != nil {
			if !errors.Is(err, wezterm.ErrMalformed) {
				t.Fatalf("error not ErrMalformed: %v", err)
			}
			return
		}
		seen := map[wezterm.PaneID]bool{}
		for _, p := range panes {
			if seen[p.PaneID] {
				t.Fatalf("duplicate pane %d accepted", p.PaneID)
			}
			seen[p.PaneID] = true
			// "" is a workspace of its own (`--workspace ""`, a connect
			// GUI's); only a listing without the field means "default".
			if p.Workspace == "" && !bytes.Contains(bytes.ToLower(data), []byte(`"workspace"`)) {
				t.Fatal("a missing workspace not defaulted")
			}
			_ = p.Location()
		}
		_ = topology.Build(panes, nil) // must not panic on any accepted input
		again, err := json.Marshal(panes)
		if err != nil {
			t.Fatal(err)
		}
		back, err := wezterm.ParseList(again)
		if err != nil || len(back) != len(panes) {
			t.Fatalf("round trip: %v (%d vs %d)", err, len(back), len(panes))
		}
	})
}

func FuzzParseListTable(f *testing.F) {
	f.Add("WINID TABID PANEID WORKSPACE SIZE  TITLE   CWD\n    0     0      0 default   80x24 cmd.exe file:///C:/Users/Admin/\n")
	f.Add("WINID TABID PANEID WORKSPACE SIZE   TITLE         CWD\n    0     0      0 main      119x83 ⠐ Claude Code file://aurora/x\n")
	f.Fuzz(func(t *testing.T, s string) {
		panes, err := wezterm.ParseListTable(s)
		if err != nil && !errors.Is(err, wezterm.ErrMalformed) {
			t.Fatalf("error not ErrMalformed: %v", err)
		}
		for _, p := range panes {
			// An empty WORKSPACE cell is a workspace named "" (WezTerm
			// prints names as they are); without the column, "default".
			if p.Workspace == "" && !strings.Contains(s, "WORKSPACE") {
				t.Fatal("a missing workspace not defaulted")
			}
		}
	})
}
