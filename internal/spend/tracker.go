package spend

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Roots are where the agents keep their records.
type Roots struct {
	Claude []string // Claude Code config folders (each holding projects/)
	Codex  string   // Codex CLI sessions folder
	Gemini string   // Gemini CLI tmp folder (<project hash>/chats/)
}

// DefaultRoots are the agents' own defaults and overrides:
// $CLAUDE_CONFIG_DIR (comma-separated) else ~/.config/claude and ~/.claude;
// $CODEX_HOME/sessions else ~/.codex/sessions; ~/.gemini/tmp.
func DefaultRoots(getenv func(string) string, home string) Roots {
	var r Roots
	if env := strings.TrimSpace(getenv("CLAUDE_CONFIG_DIR")); env != "" {
		for _, p := range strings.Split(env, ",") {
			if p = strings.TrimSpace(p); p != "" {
				r.Claude = append(r.Claude, p)
			}
		}
	} else {
		xdg := getenv("XDG_CONFIG_HOME")
		if xdg == "" {
			xdg = filepath.Join(home, ".config")
		}
		r.Claude = []string{filepath.Join(xdg, "claude"), filepath.Join(home, ".claude")}
	}
	codex := getenv("CODEX_HOME")
	if codex == "" {
		codex = filepath.Join(home, ".codex")
	}
	r.Codex = filepath.Join(codex, "sessions")
	r.Gemini = filepath.Join(home, ".gemini", "tmp")
	return r
}

// How often the folders are walked for new files, and how long a file
// counts as active (stat'ed every poll) after it last grew.
const (
	ScanEvery = 10 * time.Second
	HotFor    = 10 * time.Minute
)

// maxGemini bounds a Gemini recording read whole.
const maxGemini = 64 << 20

// Options configure a Tracker.
type Options struct {
	Roots  Roots
	Prices Prices
	// Keep: entries older than this are not kept (0: all). The resident
	// keeps two days; `spend` keeps everything.
	Keep time.Duration
	Now  func() time.Time
}

type trackedFile struct {
	path   string
	src    Source
	off    int64 // read up to here (JSONL: the end of the last full line)
	size   int64
	mod    time.Time
	grew   time.Time // when it last grew
	codex  codexState
	gemini string      // the Gemini project hash (its folder name)
	gstate geminiState // a Gemini JSONL recording's header so far
}

// Session is one agent session's record.
type Session struct {
	Source  Source
	ID      string
	Cwd     string
	Cwds    []string // other folders its entries named (a few)
	Gemini  string   // project hash (Gemini: sha256 of the folder)
	Entries []Entry
	First   time.Time
	Last    time.Time
}

// Tracker follows the agents' records. Safe for concurrent use.
type Tracker struct {
	o Options

	mu       sync.Mutex
	files    map[string]*trackedFile
	sessions map[string]*Session
	seen     dedupe
	models   map[string]string
	// rates are the agents' own costs per weighted token: per session and
	// model (rates), and the latest per model (modelRates). agentcost.go.
	rates      map[string]map[string]float64
	modelRates map[string]float64
	scanned    time.Time
	bytesRead  int64 // for benchmarks, doctor and Live
}

// ReadBytes is how much of the records was read so far.
func (t *Tracker) ReadBytes() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bytesRead
}

// NewTracker returns a tracker; Poll reads.
func NewTracker(o Options) *Tracker {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Tracker{o: o, files: map[string]*trackedFile{}, sessions: map[string]*Session{}, seen: dedupe{}, models: map[string]string{}}
}

// Prices is the price table in use.
func (t *Tracker) Prices() Prices { return t.o.Prices }

// Poll reads what was appended since the last poll: every ScanEvery it
// walks the folders (new files, files that grew while cold); in between it
// only stats the files that grew in the last HotFor.
func (t *Tracker) Poll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.o.Now()
	if t.scanned.IsZero() || now.Sub(t.scanned) >= ScanEvery {
		first := t.scanned.IsZero()
		t.scan(now)
		if first && t.bytesRead > 16<<20 {
			// The first read of a large history leaves its garbage behind:
			// give it back now rather than keep it resident for hours.
			debug.FreeOSMemory()
		}
		t.scanned = now
		t.prune(now)
		return
	}
	for _, f := range t.files {
		if now.Sub(f.grew) > HotFor {
			continue
		}
		if fi, err := os.Stat(f.path); err == nil && (fi.Size() != f.size || !fi.ModTime().Equal(f.mod)) {
			t.read(f, fi, now)
		}
	}
}

func (t *Tracker) scan(now time.Time) {
	walk := func(root string, src Source, match func(path string, d fs.DirEntry) bool) {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // a folder that is not there, or not ours to read
			}
			if d.IsDir() || !match(path, d) {
				return nil
			}
			f := t.files[path]
			if f == nil {
				f = &trackedFile{path: path, src: src}
				if src == Gemini {
					// tmp/<project hash>/chats/session-*.json; since 0.6x
					// tmp/<project name>/chats/session-*.jsonl, whose header
					// names the hash.
					f.gemini = filepath.Base(filepath.Dir(filepath.Dir(path)))
					f.gstate.hash = f.gemini
				}
				t.files[path] = f
			}
			fi, err := d.Info()
			if err == nil && (fi.Size() != f.size || !fi.ModTime().Equal(f.mod)) {
				t.read(f, fi, now)
			}
			return nil
		})
	}
	jsonl := func(path string, _ fs.DirEntry) bool { return strings.HasSuffix(path, ".jsonl") }
	for _, dir := range t.o.Roots.Claude {
		walk(filepath.Join(dir, "projects"), Claude, jsonl)
	}
	if t.o.Roots.Codex != "" {
		walk(t.o.Roots.Codex, Codex, jsonl)
	}
	if t.o.Roots.Gemini != "" {
		walk(t.o.Roots.Gemini, Gemini, func(path string, d fs.DirEntry) bool {
			return strings.HasPrefix(d.Name(), "session-") && (strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".jsonl")) &&
				filepath.Base(filepath.Dir(path)) == "chats"
		})
	}
}

// read takes in what changed in f.
func (t *Tracker) read(f *trackedFile, fi fs.FileInfo, now time.Time) {
	grew := fi.Size() > f.size
	f.size, f.mod = fi.Size(), fi.ModTime()
	if grew || f.grew.IsZero() {
		f.grew = fi.ModTime()
	}
	if since := t.since(now); f.off == 0 && fi.ModTime().Before(since) {
		// Unchanged since before what is kept: nothing in it counts. If
		// it grows later, only what is appended is read.
		if f.src != Gemini {
			f.off = fi.Size()
		}
		return
	}
	if f.src == Gemini && !strings.HasSuffix(f.path, ".jsonl") {
		t.readGemini(f)
		return
	}
	if fi.Size() < f.off {
		// Rewritten: start again (known messages are not counted twice).
		f.off, f.codex, f.gstate = 0, codexState{}, geminiState{hash: f.gemini}
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return
	}
	defer fh.Close()
	if _, err := fh.Seek(f.off, io.SeekStart); err != nil {
		return
	}
	r := bufio.NewReaderSize(fh, 256<<10)
	var long []byte // a line longer than the buffer
	skipping := false
	for {
		chunk, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !skipping && len(long)+len(chunk) <= maxLine {
				long = append(long, chunk...)
			} else {
				skipping, long = true, nil
			}
			continue
		}
		if err != nil {
			break // EOF: an unfinished last line is read again next time
		}
		f.off += int64(len(long) + len(chunk))
		t.bytesRead += int64(len(long) + len(chunk))
		line := chunk
		if long != nil {
			line = append(long, chunk...)
		}
		long = nil
		if skipping {
			skipping = false
			continue
		}
		var e Entry
		var ok bool
		if f.src == Claude {
			if cs, ok := parseClaudeCost(line, f.path); ok {
				t.agentCost(cs)
				continue
			}
			e, ok = parseClaude(line, f.path, t.seen, t.since(now))
		} else if f.src == Gemini {
			for _, e := range parseGeminiLine(line, &f.gstate, f.path, t.seen) {
				t.add(e, f.gstate.hash, now)
			}
			continue
		} else {
			e, ok = parseCodex(line, &f.codex, f.path)
		}
		if ok {
			t.add(e, "", now)
		}
	}
}

func (t *Tracker) readGemini(f *trackedFile) {
	if f.size > maxGemini {
		return
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		return
	}
	t.bytesRead += int64(len(data))
	entries, hash, ok := parseGemini(data, f.path, t.seen)
	if !ok {
		return
	}
	if hash == "" {
		hash = f.gemini
	}
	now := t.o.Now()
	for _, e := range entries {
		t.add(e, hash, now)
	}
}

// maxCwds bounds the folders remembered per session.
const maxCwds = 8

// prune drops entries older than Keep (a resident runs for days).
func (t *Tracker) prune(now time.Time) {
	since := t.since(now)
	if since.IsZero() {
		return
	}
	for k, s := range t.sessions {
		if !s.First.Before(since) {
			continue
		}
		kept := s.Entries[:0]
		for _, e := range s.Entries {
			if !e.Time.Before(since) {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			delete(t.sessions, k)
			delete(t.rates, s.ID)
			continue
		}
		s.Entries = slices.Clip(kept)
		s.First = kept[0].Time
		for _, e := range kept {
			if e.Time.Before(s.First) {
				s.First = e.Time
			}
		}
	}
	for k, m := range t.seen {
		if m.at < since.Unix() {
			delete(t.seen, k)
		}
	}
}

// since is the oldest entry kept.
func (t *Tracker) since(now time.Time) time.Time {
	if t.o.Keep <= 0 {
		return time.Time{}
	}
	return now.Add(-t.o.Keep)
}

func (t *Tracker) add(e Entry, geminiHash string, now time.Time) {
	if e.Time.Before(t.since(now)) {
		return
	}
	if e.Tokens.Zero() {
		return
	}
	k := string(e.Source) + ":" + e.Session
	s := t.sessions[k]
	if s == nil {
		s = &Session{Source: e.Source, ID: e.Session, Gemini: geminiHash}
		t.sessions[k] = s
	}
	if s.Cwd == "" {
		s.Cwd = e.Cwd
	}
	if e.Cwd != "" && e.Cwd != s.Cwd && len(s.Cwds) < maxCwds && !slices.Contains(s.Cwds, e.Cwd) {
		s.Cwds = append(s.Cwds, e.Cwd) // the agent moved (Claude Code's cd)
	}
	// One copy of each string per session, not one per entry.
	e.Session, e.Cwd = s.ID, ""
	if m, ok := t.models[e.Model]; ok {
		e.Model = m
	} else {
		t.models[e.Model] = e.Model
	}
	if s.First.IsZero() || e.Time.Before(s.First) {
		s.First = e.Time
	}
	if e.Time.After(s.Last) {
		s.Last = e.Time
	}
	if n := len(s.Entries); n > 0 && e.msg != 0 && s.Entries[n-1].msg == e.msg {
		// More of the message just counted (its copies are written one
		// after another): one entry per message keeps the memory small.
		last := &s.Entries[n-1]
		last.Tokens = last.Tokens.Add(e.Tokens)
		t.priceEntry(last)
		return
	}
	t.priceEntry(&e)
	s.Entries = append(s.Entries, e)
}

// Entries returns every kept entry that passes keep, oldest first.
func (t *Tracker) Entries(keep func(Entry) bool) []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Entry
	for _, s := range t.sessions {
		for _, e := range s.Entries {
			if keep == nil || keep(e) {
				e.Cwd = s.Cwd
				out = append(out, e)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// Sessions returns copies of the sessions active since the given time.
func (t *Tracker) Sessions(activeSince time.Time) []Session {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Session
	for _, s := range t.sessions {
		if s.Last.Before(activeSince) {
			continue
		}
		c := *s
		c.Entries = append([]Entry(nil), s.Entries...)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].First.Before(out[j].First) })
	return out
}

// Files is how many files are followed.
func (t *Tracker) Files() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.files)
}
