package config

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"sync"
	"time"
)

// Store owns config.toml: it loads it (defaults when absent, a commented
// template written on first run), notices hand edits, and saves only the
// keys the app changed, on top of whatever the file holds now, so a hand
// edit is never clobbered. A broken file is never overwritten until the
// user saves from the app; then it is kept as config.toml.broken-<time>.
type Store struct {
	path   string
	writer AtomicWriter
	now    func() time.Time

	mu       sync.Mutex
	prefs    Preferences
	text     []byte   // the file as last read or written
	broken   Problems // errors of the file on disk; nil when it loaded
	warnings Problems
	stamp    fileStamp
}

type fileStamp struct {
	size    int64
	modTime time.Time
	hash    [32]byte
}

// Option configures a Store.
type Option func(*Store)

// WithWriter sets the atomic writer (tests simulate a full disk with it).
func WithWriter(w AtomicWriter) Option { return func(s *Store) { s.writer = w } }

// Open loads path, writing the commented template when it does not exist.
// A broken file is not an error: Prefs are the defaults and Problems says
// what is wrong. The error is for I/O failures only.
func Open(path string, opts ...Option) (*Store, error) {
	s := &Store{path: path, now: time.Now, prefs: Defaults()}
	for _, o := range opts {
		o(s)
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		tmpl := []byte(Template())
		if err := s.writer.WriteFile(path, tmpl, 0o600); err != nil {
			return nil, fmt.Errorf("write default preferences: %w", err)
		}
		s.text = tmpl
		s.stamp = stampOf(path, tmpl)
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("read preferences: %w", err)
	}
	s.load(data)
	return s, nil
}

func stampOf(path string, data []byte) fileStamp {
	st := fileStamp{hash: sha256.Sum256(data)}
	if fi, err := os.Stat(path); err == nil {
		st.size, st.modTime = fi.Size(), fi.ModTime()
	}
	return st
}

// load takes data as the file's content. s.mu is held (or s is new).
func (s *Store) load(data []byte) {
	s.text = data
	s.stamp = stampOf(s.path, data)
	p, warnings, err := ParsePreferences(s.path, data)
	s.warnings = warnings
	var ps Problems
	if errors.As(err, &ps) {
		s.broken = ps
		return // keep the last good preferences (the defaults at start-up)
	}
	s.broken = nil
	s.prefs = p
}

// Path returns the file's path.
func (s *Store) Path() string { return s.path }

// Prefs returns the preferences in effect.
func (s *Store) Prefs() Preferences {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clonePrefs(s.prefs)
}

func clonePrefs(p Preferences) Preferences {
	t := make(map[string]string, len(p.Trust))
	for k, v := range p.Trust {
		t[k] = v
	}
	p.Trust = t
	return p
}

// Broken returns the errors of the file on disk (nil when it loads).
func (s *Store) Broken() Problems {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.broken
}

// Warnings returns the warnings of the file on disk (unknown keys).
func (s *Store) Warnings() Problems {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.warnings
}

// Reload re-reads the file if it changed on disk since it was last read or
// written, and reports whether it did. Call it on every tick: it costs one
// stat when nothing changed.
func (s *Store) Reload() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reload()
}

func (s *Store) reload() (bool, error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil // deleted by hand: keep going on what we have
		}
		return false, fmt.Errorf("check preferences: %w", err)
	}
	if fi.Size() == s.stamp.size && fi.ModTime().Equal(s.stamp.modTime) {
		return false, nil
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return false, fmt.Errorf("read preferences: %w", err)
	}
	if sha256.Sum256(data) == s.stamp.hash {
		s.stamp = stampOf(s.path, data)
		return false, nil
	}
	s.load(data)
	return true, nil
}

// Save writes the keys that differ between base (what the form showed) and
// edited, over the file as it is now on disk.
func (s *Store) Save(base, edited Preferences) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.save(diff(base, edited))
}

// Update applies fn to the current preferences and saves what it changed.
func (s *Store) Update(fn func(*Preferences)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.reload(); err != nil {
		return err
	}
	base := clonePrefs(s.prefs)
	edited := clonePrefs(s.prefs)
	fn(&edited)
	return s.save(diff(base, edited))
}

func (s *Store) save(changes []change) error {
	if _, err := s.reload(); err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	text := s.text
	target := clonePrefs(s.prefs)
	if s.broken != nil {
		// Keep the broken file for the user, start again from the template
		// carrying the settings in effect plus the changes.
		backup := fmt.Sprintf("%s.broken-%s", s.path, s.now().Format("20060102-150405"))
		if err := os.Rename(s.path, backup); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("keep broken preferences as %s: %w", backup, err)
		}
		text = []byte(applyChanges(Template(), diff(Defaults(), s.prefs)))
	}
	out := []byte(applyChanges(string(text), changes))
	// Check the edit before it reaches the disk: the new file must load and
	// hold exactly the intended values.
	got, _, err := ParsePreferences(s.path, out)
	if err != nil {
		return fmt.Errorf("save preferences: the edited file would not load (%v); nothing was written", err)
	}
	for _, c := range changes {
		applyToPrefs(&target, c)
	}
	if !reflect.DeepEqual(got, target) {
		return fmt.Errorf("save preferences: the edited file does not read back as saved; nothing was written")
	}
	if err := s.writer.WriteFile(s.path, out, 0o600); err != nil {
		return err
	}
	s.load(out)
	return nil
}

// applyToPrefs applies a change to p (to predict what the file will hold).
func applyToPrefs(p *Preferences, c change) {
	if c.table == "trust" {
		var k string
		if _, err := fmt.Sscanf(c.key, "%q", &k); err != nil {
			k = c.key
		}
		if c.value == nil {
			delete(p.Trust, k)
			return
		}
		var v string
		fmt.Sscanf(*c.value, "%q", &v)
		p.Trust[k] = v
		return
	}
	d, err := ParseDoc("", []byte(c.key+" = "+*c.value+"\n"))
	if err != nil {
		return
	}
	for _, f := range fields {
		if f.table == c.table && f.key == c.key {
			f.read(d.Root(), p)
		}
	}
}

// Text returns the file's content as last read or written.
func (s *Store) Text() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.text)
}
