package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/logx"
)

// Keep is how many snapshots the folder holds; the oldest go first.
const Keep = 20

// MaxBytes bounds one snapshot file. A state that would be larger loses
// what matters least first (pane titles, then long command lines, then
// whole workspaces, named in Trimmed).
const MaxBytes = 384 << 10

// maxRead bounds what Load reads of a file said to be ours (what
// config.ReadFile reads).
const maxRead = config.MaxFileSize

// Limits on what a file may describe before it is used.
const (
	maxDepth = 64   // nested splits
	maxPanes = 4096 // in one snapshot
)

// DefaultDir is where snapshots live: snapshots/ under the state folder
// (the log's: $XDG_STATE_HOME/wezterm-parallel on Linux).
func DefaultDir() (string, error) {
	d, err := logx.StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "snapshots"), nil
}

// Store is the folder of snapshots. Safe for concurrent use within a
// process; between processes every write is a whole file renamed into
// place, so a reader never sees half of one.
type Store struct {
	Dir    string
	Writer config.AtomicWriter
	mu     sync.Mutex
}

// Open returns the store in dir (created on the first write).
func Open(dir string) *Store { return &Store{Dir: dir} }

var fileRE = regexp.MustCompile(`^snapshot-([0-9]{8}T[0-9]{6}Z(?:-[0-9]{1,3})?)\.json$`)

// idRE is what an ID looks like (what --from takes).
var idRE = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z(?:-[0-9]{1,3})?$`)

// ValidID reports whether id names a snapshot (and is safe in a path).
func ValidID(id string) bool { return idRE.MatchString(id) }

// Path is the file of snapshot id.
func (st *Store) Path(id string) string { return filepath.Join(st.Dir, "snapshot-"+id+".json") }

// Save stores s as a new snapshot: it gets an ID from its Taken time (UTC,
// so the names sort in time order whatever the clock's zone), is trimmed
// to MaxBytes, written atomically, and the oldest beyond Keep are removed.
// It returns the stored file's path.
func (st *Store) Save(s *Snapshot) (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	base := s.Taken.UTC().Format("20060102T150405Z")
	id := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(st.Path(id)); errors.Is(err, os.ErrNotExist) {
			break
		}
		if n > 999 {
			return "", fmt.Errorf("save snapshot: too many snapshots taken at %s", base)
		}
		id = fmt.Sprintf("%s-%d", base, n)
	}
	s.ID = id
	path, err := st.write(s)
	if err != nil {
		return "", err
	}
	if err := st.prune(); err != nil {
		return path, fmt.Errorf("snapshot saved, but old ones were not removed: %w", err)
	}
	return path, nil
}

// Update rewrites snapshot s (its ID kept): the writer confirms a state
// that did not change, or records details (folders, sessions) of the same
// panes, without using up one of the Keep files.
func (st *Store) Update(s *Snapshot) (string, error) {
	if !ValidID(s.ID) {
		return "", fmt.Errorf("update snapshot: bad id %q", s.ID)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.write(s)
}

func (st *Store) write(s *Snapshot) (string, error) {
	data, err := Encode(s)
	if err != nil {
		return "", err
	}
	path := st.Path(s.ID)
	if err := st.Writer.WriteFile(path, data, 0o600); err != nil {
		return "", fmt.Errorf("save snapshot: %w", err)
	}
	return path, nil
}

// Encode writes s as JSON, trimming it to MaxBytes first (s is changed:
// Trimmed says what went).
func Encode(s *Snapshot) ([]byte, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	if len(data) < MaxBytes {
		return append(data, '\n'), nil
	}
	var trimmed []string
	for step := 0; len(data) >= MaxBytes; step++ {
		switch step {
		case 0:
			trimmed = append(trimmed, "pane and window titles")
			s.eachPane(func(p *Pane) { p.Title = "" })
			for i := range s.Workspaces {
				for j := range s.Workspaces[i].Windows {
					s.Workspaces[i].Windows[j].Title = ""
				}
			}
		case 1:
			trimmed = append(trimmed, "command lines past 200 bytes")
			s.eachPane(func(p *Pane) {
				if p.Program != nil && len(p.Program.Cmdline) > 200 {
					p.Program.Cmdline, p.Program.Cut = cut(p.Program.Cmdline, 200), true
				}
			})
		default:
			if len(s.Workspaces) <= 1 {
				return nil, fmt.Errorf("encode snapshot: %d bytes even trimmed; over the %d KiB limit", len(data), MaxBytes>>10)
			}
			last := s.Workspaces[len(s.Workspaces)-1]
			trimmed = append(trimmed, "workspace "+last.Name)
			s.Workspaces = s.Workspaces[:len(s.Workspaces)-1]
		}
		s.Trimmed = "over " + fmt.Sprint(MaxBytes>>10) + " KiB: left out " + strings.Join(trimmed, ", ")
		if data, err = json.Marshal(s); err != nil {
			return nil, fmt.Errorf("encode snapshot: %w", err)
		}
	}
	return append(data, '\n'), nil
}

func (s *Snapshot) eachPane(f func(*Pane)) {
	for _, ws := range s.Workspaces {
		for _, w := range ws.Windows {
			for _, t := range w.Tabs {
				for _, p := range t.Panes() {
					f(p)
				}
			}
		}
	}
}

// prune removes the oldest snapshots beyond Keep.
func (st *Store) prune() error {
	ids, err := st.ids()
	if err != nil {
		return err
	}
	var errs []error
	for len(ids) > Keep {
		if err := os.Remove(st.Path(ids[0])); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		ids = ids[1:]
	}
	return errors.Join(errs...)
}

// ids lists the stored snapshot ids, oldest first.
func (st *Store) ids() ([]string, error) {
	ents, err := os.ReadDir(st.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	var ids []string
	for _, e := range ents {
		if m := fileRE.FindStringSubmatch(e.Name()); m != nil && e.Type().IsRegular() {
			ids = append(ids, m[1])
		}
	}
	sort.Slice(ids, func(i, j int) bool { return idLess(ids[i], ids[j]) })
	return ids, nil
}

// idLess orders ids by time, then by their -N suffix.
func idLess(a, b string) bool {
	ab, an := splitID(a)
	bb, bn := splitID(b)
	if ab != bb {
		return ab < bb
	}
	return an < bn
}

func splitID(id string) (string, int) {
	base, suffix, ok := strings.Cut(id, "Z-")
	if !ok {
		return id, 1
	}
	n := 0
	fmt.Sscanf(suffix, "%d", &n)
	return base + "Z", n
}

// Info describes a stored snapshot (restore --list).
type Info struct {
	ID        string    `json:"id"`
	Path      string    `json:"path"`
	Taken     time.Time `json:"taken"`
	Confirmed time.Time `json:"confirmed"`
	Source    string    `json:"source"`
	Host      string    `json:"host,omitempty"`
	Bytes     int64     `json:"bytes"`
	Summary   Summary   `json:"summary"`
	// Names are its workspaces.
	Names []string `json:"workspaces"`
	// Blank: one pane with a shell, what WezTerm shows when it has just
	// started (never offered).
	Blank   bool   `json:"blank"`
	Trimmed string `json:"trimmed,omitempty"`
	// Err says why the file could not be read (then only ID and Path are
	// set).
	Err string `json:"error,omitempty"`
}

// InfoOf summarises s stored at path.
func InfoOf(s *Snapshot, path string, size int64) Info {
	in := Info{ID: s.ID, Path: path, Taken: s.Taken, Confirmed: s.Confirmed, Source: s.Source, Host: s.Host,
		Bytes: size, Summary: s.Summary(), Blank: s.Blank(), Trimmed: s.Trimmed}
	for _, ws := range s.Workspaces {
		in.Names = append(in.Names, ws.Name)
	}
	return in
}

// List describes every stored snapshot, newest first. A file that does
// not read is listed with its error, not skipped in silence.
func (st *Store) List() ([]Info, error) {
	ids, err := st.ids()
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		path := st.Path(ids[i])
		s, size, err := st.load(ids[i])
		if err != nil {
			out = append(out, Info{ID: ids[i], Path: path, Err: err.Error()})
			continue
		}
		out = append(out, InfoOf(s, path, size))
	}
	return out, nil
}

// ErrNone: there is no snapshot to use.
var ErrNone = errors.New("no snapshot")

// Load reads snapshot id.
func (st *Store) Load(id string) (*Snapshot, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("%q is not a snapshot id (like 20261207T104233Z; restore --list shows them)", id)
	}
	s, _, err := st.load(id)
	return s, err
}

func (st *Store) load(id string) (*Snapshot, int64, error) {
	path := st.Path(id)
	data, err := config.ReadFile(path) // a regular file of at most 1 MiB
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, 0, fmt.Errorf("snapshot %s: %w (restore --list shows the ones there are)", id, ErrNone)
		}
		return nil, 0, err
	}
	s, err := Parse(path, data)
	if err != nil {
		return nil, 0, err
	}
	if s.ID == "" {
		s.ID = id
	}
	return s, int64(len(data)), nil
}

// Latest is the newest snapshot worth restoring (not blank), or ErrNone.
func (st *Store) Latest() (*Snapshot, error) {
	ids, err := st.ids()
	if err != nil {
		return nil, err
	}
	for i := len(ids) - 1; i >= 0; i-- {
		s, _, err := st.load(ids[i])
		if err == nil && !s.Blank() {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w in %s yet", ErrNone, st.Dir)
}

// readLimited reads a regular file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s): not read", path, info.Mode().Type())
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d KiB: not read", path, limit>>10)
	}
	return data, nil
}

// Parse reads a snapshot file. Every problem names the file and, for
// broken JSON, the line and column; nothing in the file can make it panic
// or recurse without bound.
func Parse(file string, data []byte) (*Snapshot, error) {
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return nil, jsonError(file, data, err)
	}
	if s.Version == 0 {
		return nil, fmt.Errorf("%s: not a wezterm-parallel snapshot (no \"version\")", file)
	}
	if s.Version > Version {
		return nil, fmt.Errorf("%s: snapshot format %d is newer than this wezterm-parallel reads (%d): update it", file, s.Version, Version)
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &s, nil
}

// check validates what the decoder cannot: the tree's shape and bounds.
func (s *Snapshot) check() error {
	panes := 0
	for i, ws := range s.Workspaces {
		for j, w := range ws.Windows {
			if len(w.Tabs) == 0 {
				return fmt.Errorf("workspace %d (%q) window %d has no tabs", i+1, ws.Name, j+1)
			}
			for k, t := range w.Tabs {
				at := fmt.Sprintf("workspace %d (%q) window %d tab %d", i+1, ws.Name, j+1, k+1)
				if t.Root == nil {
					return fmt.Errorf("%s has no panes", at)
				}
				if err := checkNode(t.Root, 0, &panes); err != nil {
					return fmt.Errorf("%s: %w", at, err)
				}
				if t.Cols < 0 || t.Rows < 0 || t.Cols > 10000 || t.Rows > 10000 {
					return fmt.Errorf("%s: size %dx%d is out of range", at, t.Cols, t.Rows)
				}
			}
		}
	}
	return nil
}

func checkNode(n *Node, depth int, panes *int) error {
	if n == nil {
		return errors.New("an empty node in the split tree")
	}
	if depth > maxDepth {
		return fmt.Errorf("splits nested more than %d deep", maxDepth)
	}
	if n.Size < 0 || n.Size >= 100 {
		return fmt.Errorf("size %g%% is out of 0..100", n.Size)
	}
	if n.Pane != nil {
		if n.Split != "" || len(n.Children) > 0 {
			return errors.New("a node is both a pane and a split")
		}
		if *panes++; *panes > maxPanes {
			return fmt.Errorf("more than %d panes", maxPanes)
		}
		switch n.Pane.Place {
		case Local, Remote, Unknown:
		default:
			return fmt.Errorf("place %q: want local, remote or unknown", n.Pane.Place)
		}
		if n.Pane.Place == Local && !filepath.IsAbs(n.Pane.Dir) && !isWindowsAbs(n.Pane.Dir) {
			return fmt.Errorf("folder %q is not absolute", n.Pane.Dir)
		}
		return nil
	}
	if n.Split != "right" && n.Split != "down" {
		return fmt.Errorf("split %q: want \"right\" or \"down\"", n.Split)
	}
	if len(n.Children) < 2 {
		return errors.New("a split with fewer than two panes")
	}
	total := 0.0
	for _, c := range n.Children {
		total += c.Size
		if err := checkNode(c, depth+1, panes); err != nil {
			return err
		}
	}
	if total >= 100 {
		return fmt.Errorf("the sizes of a split add up to %g%%", total)
	}
	return nil
}

// isWindowsAbs accepts C:\x and C:/x on every system (a snapshot may come
// from another machine; it is then checked for existence, not trusted).
func isWindowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}

// jsonError names the line and column of a JSON problem.
func jsonError(file string, data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return fmt.Errorf("%s: %w", file, err)
	}
	// Offset counts the bytes read, the bad one included.
	line, col := 1, 1
	for i := int64(0); i < off-1 && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("%s:%d:%d: %w", file, line, col, err)
}
