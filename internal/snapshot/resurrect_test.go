package snapshot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportResurrectFolder(t *testing.T) {
	s, err := ImportResurrect("testdata/resurrect")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Workspaces) != 1 || s.Workspaces[0].Name != "dev" {
		t.Fatalf("the folder's workspace files win over its window files: %s", js(s.Workspaces))
	}
	if !strings.HasPrefix(s.Source, "resurrect:") || s.Taken.IsZero() {
		t.Errorf("header %+v", s)
	}
	w := s.Workspaces[0].Windows[0]
	if w.Title != "nvim" || len(w.Tabs) != 2 {
		t.Fatalf("window %s", js(w))
	}
	edit := w.Tabs[0]
	if edit.Title != "edit" || edit.Cols != 160 || edit.Rows != 48 || edit.Root.Split != "right" {
		t.Fatalf("tab %s", js(edit))
	}
	ps := edit.Panes()
	if len(ps) != 3 {
		t.Fatalf("%d panes", len(ps))
	}
	if ps[0].Program == nil || ps[0].Program.Cmdline != "nvim 'main go.go'" || ps[0].Dir != "/home/alice/src/app" {
		t.Errorf("nvim pane: %s", js(ps[0]))
	}
	if ps[1].Program != nil || ps[1].Place != Local || ps[1].Dir != "/home/alice/src/app/web" {
		t.Errorf("shell pane: %s", js(ps[1]))
	}
	if ps[2].Place != Remote || ps[2].Host != "SSHMUX:build-box" || ps[2].Dir != "" || ps[2].RemoteDir != "/home/alice" {
		t.Errorf("a pane of an ssh domain is remote: %s", js(ps[2]))
	}
	if p := w.Tabs[1].Panes()[0]; p.Shell != "zsh" || w.Tabs[1].Title != "" {
		t.Errorf("old format (process as a name, text as lines): %s", js(w.Tabs[1]))
	}
}

func TestImportResurrectFiles(t *testing.T) {
	s, err := LoadFile("testdata/resurrect/window/logs.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.Workspaces[0].Name != "ops" || s.Workspaces[0].Windows[0].Tabs[0].Panes()[0].Dir != "/var/log" {
		t.Errorf("window file: %s", js(s))
	}
	tab := filepath.Join(t.TempDir(), "tab", "shell.json")
	os.MkdirAll(filepath.Dir(tab), 0o700)
	os.WriteFile(tab, []byte(`{"title":"shell","pane_tree":{"left":0,"top":0,"width":80,"height":24,"cwd":"/tmp"}}`), 0o600)
	s, err = LoadFile(tab)
	if err != nil || s.Workspaces[0].Name != "shell" || s.Workspaces[0].Windows[0].Tabs[0].Title != "shell" {
		t.Errorf("tab file: %v %s", err, js(s))
	}
}

func TestImportResurrectRefuses(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ name, data, want string }{
		{"encrypted", "-----BEGIN AGE ENCRYPTED FILE-----\n", "decrypt it first"},
		{"broken", "{\"window_states\": [\n {\"tabs\": 3}]}", "x.json:2:"},
		{"other json", `{"hello": 1}`, "not a resurrect.wezterm state"},
		{"bad geometry", `{"title":"t","pane_tree":{"left":-5,"top":0,"width":80,"height":24}}`, "out of range"},
	}
	for _, c := range cases {
		p := filepath.Join(dir, "x.json")
		os.WriteFile(p, []byte(c.data), 0o600)
		_, err := ImportResurrect(p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := ImportResurrect(dir + "/nothing"); err == nil {
		t.Error("a missing path")
	}
	empty := t.TempDir()
	if _, err := ImportResurrect(empty); err == nil || !strings.Contains(err.Error(), "save_state_dir") {
		t.Errorf("an empty folder: %v", err)
	}
}

func FuzzParseResurrect(f *testing.F) {
	for _, p := range []string{"testdata/resurrect/workspace/dev.json", "testdata/resurrect/window/logs.json"} {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Add([]byte(`{"title":"t","pane_tree":{"left":0,"top":0,"width":1,"height":1,"right":{"left":0,"top":0,"width":1,"height":1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseResurrect("f.json", data)
		if err != nil {
			return
		}
		s.Summary()
		if _, err := Encode(s); err != nil && len(data) < MaxBytes/2 {
			t.Fatalf("imported but does not encode: %v", err)
		}
	})
}
