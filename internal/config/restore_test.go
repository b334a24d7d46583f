package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRestoreRun(t *testing.T) {
	p, warns, err := ParsePreferences("c.toml", []byte("[restore]\nrun = [\"npm run dev\", \"make watch *\"]\nrn = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.RestoreRun, []string{"npm run dev", "make watch *"}) {
		t.Errorf("run: %q", p.RestoreRun)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].String(), "c.toml:3:1") {
		t.Errorf("unknown key in [restore]: %v", warns)
	}
	for _, c := range []struct{ text, want string }{
		{"[restore]\nrun = \"npm run dev\"\n", "c.toml:2:"},
		{"[restore]\nrun = [\"ok\", \"\"]\n", "restore.run[1] is empty"},
		{"[restore]\nrun = [\"ok\",\n  \"a\\u001b[2Jb\"]\n", "c.toml:3:3: restore.run[1] holds a control character"},
		{"[restore]\nrun = [\"x\", 3]\n", "run[1] must be a string"},
	} {
		_, _, err := ParsePreferences("c.toml", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.text, err, c.want)
		}
	}
	if !strings.Contains(Template(), "\n[restore]\n") || !strings.Contains(Template(), "\n# run = []\n") {
		t.Errorf("the written config has no commented [restore] run:\n%s", Template())
	}
}

func TestRestoreRunSaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	s := Open(path)
	if err := s.Update(func(p *Preferences) { p.RestoreRun = append(p.RestoreRun, "npm run dev", `say "hi"`) }); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "[restore]\n") || !strings.Contains(string(data), `run = ["npm run dev", "say \"hi\""]`) {
		t.Errorf("saved:\n%s", data)
	}
	if got := Open(path).Prefs().RestoreRun; !slices.Equal(got, []string{"npm run dev", `say "hi"`}) {
		t.Errorf("read back: %q", got)
	}
	if err := s.Update(func(p *Preferences) { p.RestoreRun = nil }); err != nil {
		t.Fatal(err)
	}
	if got := Open(path).Prefs().RestoreRun; got != nil {
		t.Errorf("emptied: %q", got)
	}
}
