package config

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// Store owns config.toml: it loads it (defaults when absent, a commented
// template written on first run), notices hand edits, and saves only the
// keys the app changed, on top of whatever the file holds now, so a hand
// edit is never clobbered. A file that does not load (broken, unreadable,
// too large) is never written, renamed or replaced: the app runs on
// defaults and a save is refused with the file's position and what was not
// saved. Nothing here stops the app: an unwritable folder or unreadable
// file only leaves a Notice.
type Store struct {
	path   string
	writer AtomicWriter

	mu         sync.Mutex
	prefs      Preferences
	text       []byte   // the file as last read or written
	broken     Problems // errors of the file on disk; nil when it loaded
	warnings   Problems
	unreadable error // the file exists but could not be read
	notice     string
	stamp      fileStamp
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
// It never fails: a broken, unreadable or uncreatable file leaves the
// defaults in effect, and Notice says so in one line.
func Open(path string, opts ...Option) *Store {
	s := &Store{path: path, prefs: Defaults()}
	for _, o := range opts {
		o(s)
	}
	data, err := ReadFile(path)
	var ps Problems
	switch {
	case errors.Is(err, fs.ErrNotExist):
		tmpl := []byte(Template())
		if err := s.writer.WriteFile(path, tmpl, 0o600); err != nil {
			s.notice = fmt.Sprintf("preferences: could not create them (%v); running on defaults", err)
			return s
		}
		s.text = tmpl
		s.stamp = stampOf(path, tmpl)
	case errors.As(err, &ps):
		// Too large or not a regular file: a broken file, left alone.
		s.broken = ps
		s.notice = "preferences not loaded, running on defaults (the file is left as it is): " + ps[0].String()
	case err != nil:
		s.unreadable = err
		s.notice = fmt.Sprintf("preferences: cannot read %s (%v); running on defaults", path, err)
	default:
		s.load(data)
	}
	return s
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
		s.notice = "preferences not loaded, running on defaults (the file is left as it is): " + ps[0].String()
		if len(ps) > 1 {
			s.notice += fmt.Sprintf(" (and %d more)", len(ps)-1)
		}
		return // keep the last good preferences (the defaults at start-up)
	}
	s.broken, s.unreadable, s.notice = nil, nil, ""
	s.prefs = p
}

// Path returns the file's path.
func (s *Store) Path() string { return s.path }

// Prefs returns the preferences in effect (the defaults on a nil store).
func (s *Store) Prefs() Preferences {
	if s == nil {
		return Defaults() // no file in use (tests, a store that failed to open)
	}
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
	p.RestoreRun = slices.Clone(p.RestoreRun)
	return p
}

// Broken returns the errors of the file on disk (nil when it loads).
func (s *Store) Broken() Problems {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.broken
}

// Notice is one line saying why the preferences in effect are not the
// file's ("" when they are): broken, unreadable, or not creatable.
func (s *Store) Notice() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notice
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
	data, err := ReadFile(s.path)
	var ps Problems
	switch {
	case errors.As(err, &ps):
		s.broken, s.notice = ps, "preferences not loaded (the file is left as it is): "+ps[0].String()
		s.stamp = fileStamp{size: fi.Size(), modTime: fi.ModTime()}
		return true, nil
	case err != nil:
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
	// A file that does not load is the user's to fix: never written,
	// renamed or replaced.
	switch {
	case s.broken != nil:
		return &NotSavedError{Path: s.path, Changes: describe(changes), Problems: s.broken}
	case s.unreadable != nil:
		return &NotSavedError{Path: s.path, Changes: describe(changes), Err: s.unreadable}
	case s.text == nil:
		// Never read or created (an unwritable folder at start-up): the
		// file may have appeared since; read it before writing over it.
		if _, err := os.Lstat(s.path); err == nil {
			return &NotSavedError{Path: s.path, Changes: describe(changes), Err: errors.New("the file appeared after start-up; restart to load it")}
		}
		s.text = []byte(Template())
	}
	target := clonePrefs(s.prefs)
	out := []byte(applyChanges(string(s.text), changes))
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
		return &NotSavedError{Path: s.path, Changes: describe(changes), Err: err}
	}
	s.load(out)
	return nil
}

// NotSavedError is a save the store refused or could not do; the file on
// disk is as it was.
type NotSavedError struct {
	Path     string
	Changes  []string // key = value, what was not saved
	Problems Problems // why the file does not load, when it does not
	Err      error
}

func (e *NotSavedError) Error() string {
	what := strings.Join(e.Changes, ", ")
	if e.Problems != nil {
		more := ""
		if len(e.Problems) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(e.Problems)-1)
		}
		return fmt.Sprintf("not saved (%s): %s%s — the file does not load, so the app leaves it as it is; fix it and try again", what, e.Problems[0], more)
	}
	return fmt.Sprintf("not saved (%s): %v", what, e.Err)
}

func (e *NotSavedError) Unwrap() error {
	if e.Problems != nil {
		return e.Problems
	}
	return e.Err
}

// describe lists changes as "key = value" for messages.
func describe(changes []change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		k := c.key
		if c.table != "" {
			k = c.table + "." + k
		}
		if c.value == nil {
			out[i] = k + " removed"
		} else {
			out[i] = k + " = " + *c.value
		}
	}
	return out
}

// applyToPrefs applies a change to p (to predict what the file will hold).
func applyToPrefs(p *Preferences, c change) {
	if c.table == "restore" && c.key == "run" {
		p.RestoreRun = nil
		if c.value == nil {
			return
		}
		d, err := ParseDoc("", []byte("[restore]\nrun = "+*c.value+"\n"))
		if err != nil {
			return
		}
		if t, ok := d.Root().Sub("restore"); ok {
			p.RestoreRun = readRestoreRun(d, t)
		}
		return
	}
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

// WatchEvery is how often Watch looks at the preferences file.
const WatchEvery = 2 * time.Second

// Watch calls apply with the preferences each time the file changes on
// disk (a hand edit, or another process saving it), until ctx ends: the
// one watcher of the window and the resident.
func (s *Store) Watch(ctx context.Context, every time.Duration, apply func(Preferences)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if changed, _ := s.Reload(); changed {
				apply(s.Prefs())
			}
		}
	}
}
