package config

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFirstRunWritesCommentedDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wp", "config.toml")
	s := Open(path)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("stat: %v %v", fi, err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "# refresh_interval = \"1s\"") || !strings.Contains(string(data), "[alerts]") {
		t.Errorf("template:\n%s", data)
	}
	p, warns, err := ParsePreferences(path, data)
	if err != nil || len(warns) != 0 || !prefsEqual(p, Defaults()) || !prefsEqual(s.Prefs(), Defaults()) {
		t.Fatalf("template does not load as the defaults: %v %v", err, warns)
	}
}

func prefsEqual(a, b Preferences) bool { return len(diff(a, b)) == 0 }

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	// Make the change visible to a stat-based check even within one clock tick.
	later := time.Now().Add(time.Duration(len(text)) * time.Millisecond)
	os.Chtimes(path, later, later)
}

func TestProblemsArePositioned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	tests := []struct {
		name, text string
		broken     []string
		warnings   []string
	}{
		{"unknown keys warn", "theme = \"dark\"\nrefresh_intervall = \"2s\"\n[alerts]\ncpu = 5\n", nil,
			[]string{path + ":2:1: warning: unknown key \"refresh_intervall\" (did you mean \"refresh_interval\"?)", path + ":4:1: warning: unknown key \"cpu\""}},
		{"a retired key says why", "theme = \"dark\"\nconfirm_broadcast = false\n", nil,
			[]string{path + ":2:1: warning: \"confirm_broadcast\" is no longer used: the broadcast dialog always shows what it sends and to which panes before it sends"}},
		{"wrong type", "theme = \"dark\"\nnotifications = \"yes\"\n", []string{path + ":2:1: notifications must be true or false, not a string"}, nil},
		{"bad value", "\n\n  theme = \"purple\"\n", []string{path + ":3:3: theme must be \"system\", \"light\" or \"dark\", not \"purple\""}, nil},
		{"bad duration", "[alerts]\nafter = \"soon\"\n", []string{path + ":2:1: after: \"soon\" is not a duration (like \"1s\" or \"500ms\")"}, nil},
		{"syntax", "theme = \"dark\nx = 1\n", []string{path + ":1:"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, path, tt.text)
			s := Open(path)
			got := s.Broken().Error()
			for _, w := range tt.broken {
				if !strings.Contains(got, w) {
					t.Errorf("broken = %q, want %q", got, w)
				}
			}
			if tt.broken != nil && !prefsEqual(s.Prefs(), Defaults()) {
				t.Error("a broken file must leave the defaults in effect")
			}
			if tt.broken == nil && s.Broken() != nil {
				t.Errorf("unexpected errors: %v", s.Broken())
			}
			gotW := s.Warnings().Error()
			for _, w := range tt.warnings {
				if !strings.Contains(gotW, w) {
					t.Errorf("warnings = %q, want %q", gotW, w)
				}
			}
			if data, _ := os.ReadFile(path); string(data) != tt.text {
				t.Error("loading changed the file")
			}
		})
	}
}

func TestSaveKeepsCommentsAndHandEdits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	s := Open(path)
	base := s.Prefs()
	edited := base
	edited.Theme = "dark"
	edited.CPUAlertPercent = 150
	edited.Trust = map[string]string{"/src/p/.wezterm-parallel.toml": "sha256:ab"}
	// Meanwhile the user edits the file by hand.
	text, _ := os.ReadFile(path)
	write(t, path, strings.Replace(string(text), "# confirm_kill = true", "confirm_kill = false # I know what I do", 1))
	if err := s.Save(base, edited); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	out := string(data)
	for _, want := range []string{
		"theme = \"dark\"\n", "confirm_kill = false # I know what I do", "cpu_percent = 150.0\n",
		"\"/src/p/.wezterm-parallel.toml\" = \"sha256:ab\"", "# wezterm-parallel preferences.", "# refresh_interval = \"1s\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("saved file lacks %q:\n%s", want, out)
		}
	}
	p := s.Prefs()
	if p.Theme != "dark" || p.ConfirmKill || p.CPUAlertPercent != 150 || p.Trust["/src/p/.wezterm-parallel.toml"] != "sha256:ab" {
		t.Errorf("prefs after save: %+v", p)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	// Update removes a trust entry and adds a new key at the end of the top table.
	if err := s.Update(func(p *Preferences) {
		delete(p.Trust, "/src/p/.wezterm-parallel.toml")
		p.AgentCommand = `claude --model "opus"`
	}); err != nil {
		t.Fatal(err)
	}
	p = s.Prefs()
	if len(p.Trust) != 0 || p.AgentCommand != `claude --model "opus"` || p.Theme != "dark" {
		t.Errorf("after update: %+v", p)
	}
}

func TestReloadPicksUpHandEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	s := Open(path)
	if changed, err := s.Reload(); changed || err != nil {
		t.Fatalf("reload without change: %v %v", changed, err)
	}
	write(t, path, "refresh_interval = \"3s\"\n")
	if changed, err := s.Reload(); !changed || err != nil || s.Prefs().RefreshInterval != 3*time.Second {
		t.Fatalf("reload: %v %v %v", changed, err, s.Prefs().RefreshInterval)
	}
	// A hand edit that breaks the file keeps the last good settings.
	write(t, path, "refresh_interval = [\n")
	if changed, _ := s.Reload(); !changed || s.Broken() == nil || s.Prefs().RefreshInterval != 3*time.Second {
		t.Fatalf("broken reload: %v, %v", s.Broken(), s.Prefs().RefreshInterval)
	}
}

// A file that does not load is never written, renamed or replaced: the
// save is refused with the file's position and what was not saved.
func TestSaveOverBrokenFileRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	for name, broken := range map[string]string{
		"syntax":    "theme = \"dark\"\nrefresh_interval = \n",
		"bad value": "theme = \"dark\"\nrefresh_interval = \"1h\"\n",
		"too deep":  "a = " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			write(t, path, broken)
			s := Open(path)
			if s.Broken() == nil || !strings.Contains(s.Notice(), path+":") {
				t.Fatalf("expected a broken file, notice %q", s.Notice())
			}
			for _, save := range []func() error{
				func() error { base := s.Prefs(); e := base; e.StartHidden = true; return s.Save(base, e) },
				func() error {
					return s.Update(func(p *Preferences) { p.Trust["/p/.wezterm-parallel.toml"] = "sha256:00" })
				},
			} {
				err := save()
				var ns *NotSavedError
				if !errors.As(err, &ns) || !strings.Contains(err.Error(), path+":") || !strings.Contains(err.Error(), "not saved (") {
					t.Fatalf("save over a broken file: %v", err)
				}
			}
			if data, _ := os.ReadFile(path); string(data) != broken {
				t.Fatalf("the broken file changed: %q", data)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("files appeared beside it: %v", entries)
			}
			if !prefsEqual(s.Prefs(), Defaults()) {
				t.Error("defaults not in effect")
			}
		})
	}
}

func TestSymlinkedConfigStaysALink(t *testing.T) {
	dir := t.TempDir()
	dots := filepath.Join(dir, "dotfiles")
	os.MkdirAll(dots, 0o700)
	target := filepath.Join(dots, "wp.toml")
	write(t, target, "theme = \"light\"\n")
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink("dotfiles/wp.toml", link); err != nil {
		t.Skip(err)
	}
	s := Open(link)
	if err := s.Update(func(p *Preferences) { p.Theme = "dark" }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("config.toml is no longer a symlink: %v %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(target); string(data) != "theme = \"dark\"\n" {
		t.Errorf("target: %q", data)
	}
	if entries, _ := os.ReadDir(dots); len(entries) != 1 {
		t.Errorf("temp files left: %v", entries)
	}
}

func TestUnwritableOrUnreadableRunsOnDefaults(t *testing.T) {
	if os.Geteuid() == 0 {
		// root reads and writes through permissions; simulate with a
		// folder that is a file instead.
		dir := t.TempDir()
		blocker := filepath.Join(dir, "wezterm-parallel")
		os.WriteFile(blocker, []byte("not a folder"), 0o600)
		s := Open(filepath.Join(blocker, "config.toml"))
		if !strings.Contains(s.Notice(), "running on defaults") || !prefsEqual(s.Prefs(), Defaults()) {
			t.Errorf("notice %q", s.Notice())
		}
		if err := s.Update(func(p *Preferences) { p.Theme = "dark" }); err == nil {
			t.Error("a save into a file-folder succeeded")
		}
		dirAsFile := filepath.Join(dir, "cfgdir")
		os.MkdirAll(filepath.Join(dirAsFile, "config.toml"), 0o700)
		s = Open(filepath.Join(dirAsFile, "config.toml"))
		if !strings.Contains(s.Notice(), "not a regular file") {
			t.Errorf("folder as file: %q", s.Notice())
		}
		if err := s.Update(func(p *Preferences) { p.Theme = "dark" }); err == nil {
			t.Error("saved over a folder")
		}
		return
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.MkdirAll(ro, 0o500)
	s := Open(filepath.Join(ro, "config.toml"))
	if !strings.Contains(s.Notice(), "could not create") || !prefsEqual(s.Prefs(), Defaults()) {
		t.Errorf("read-only folder: %q", s.Notice())
	}
	path := filepath.Join(dir, "config.toml")
	write(t, path, "theme = \"dark\"\n")
	os.Chmod(path, 0o000)
	s = Open(path)
	if !strings.Contains(s.Notice(), "cannot read") {
		t.Errorf("unreadable: %q", s.Notice())
	}
	if err := s.Update(func(p *Preferences) { p.Theme = "light" }); err == nil {
		t.Error("saved over a file it could not read")
	}
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.after {
		return f.after, errors.New("no space left on device")
	}
	return len(p), nil
}

func TestDiskFullLeavesOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	write(t, path, "theme = \"light\"\n")
	s := Open(path, WithWriter(AtomicWriter{Wrap: func(io.Writer) io.Writer { return &failingWriter{after: 5} }}))
	err := s.Update(func(p *Preferences) { p.Theme = "dark" })
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "theme = \"light\"\n" {
		t.Errorf("old file changed: %q", data)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temp files left behind: %v", entries)
	}
	if s.Prefs().Theme != "light" {
		t.Error("prefs changed although the save failed")
	}
}

func FuzzParsePreferences(f *testing.F) {
	f.Add([]byte(Template()))
	for _, src := range hostileShapes() {
		f.Add([]byte(src))
	}
	f.Add([]byte("theme = \"dark\"\n[alerts]\ncpu_percent = 5\n[trust]\n\"/x\" = \"y\"\n"))
	f.Add([]byte("a = [ { b = 1 }, { c = \"]\" } ]\n[[t]]\n[t.u]\nx = '''q'''\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _, err := ParsePreferences("f.toml", data)
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error is not positioned: %v", err)
			}
			return
		}
		// What loads can be saved and loads back the same.
		out := applyChanges(Template(), diff(Defaults(), p))
		q, _, err := ParsePreferences("f.toml", []byte(out))
		if err != nil || !prefsEqual(p, q) {
			t.Fatalf("round trip: %v\n%s", err, out)
		}
	})
}

// No file in use: the defaults, from a nil store (the window and the
// resident ask it without checking).
func TestNilStorePrefs(t *testing.T) {
	var s *Store
	if got := s.Prefs(); got.RefreshInterval != Defaults().RefreshInterval || got.Theme != Defaults().Theme {
		t.Errorf("nil store: %+v", got)
	}
}
