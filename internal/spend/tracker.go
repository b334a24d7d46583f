package spend

import (
	"bufio"
	"context"
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

// Cold history is not walked every ScanEvery: a folder is listed again
// when its mtime changed (a file was added), else every coldEvery, its
// old records stat'ed then (a year of 20 000 transcripts cost 1.4 % of a
// core and 11 MiB walked whole every 10 s). A record that counts is
// stat'ed after a thirtieth of its age, at most coldEvery later.
const coldEvery = 2 * time.Minute

// maxDepth bounds how deep the walk goes below a root (links to folders
// are followed; the visited set stops loops, this stops the rest).
const maxDepth = 12

// maxGemini bounds a Gemini recording: it is decoded as a stream (one
// message at a time), so this bounds the time spent, not the memory.
const maxGemini = 256 << 20

// errNotRegular: a record's name on a FIFO, a device or a folder.
var errNotRegular = errors.New("not a regular file")

// lineLimit is maxLine, lowered by the fuzz tests to reach the long-line
// paths with small inputs.
var lineLimit = maxLine

// Options configure a Tracker.
type Options struct {
	Roots  Roots
	Prices Prices
	// Keep: entries older than this are not kept (0: all). The resident
	// keeps two days; `spend` keeps everything.
	Keep time.Duration
	Now  func() time.Time
}

// trackedFile is a record file that counts (it holds entries kept, or was
// read in part).
type trackedFile struct {
	path string
	src  Source
	off  int64 // read up to here (JSONL: the end of the last full line)
	size int64
	// Times in unix ns (a year of files is many of these): its mtime,
	// when it last grew, and when it is stat'ed again (between walks: while
	// it is hot).
	mod, grew, next int64
	codex           *codexState
	gemini          *geminiState // a Gemini CLI JSONL recording's header so far (nil: a whole-JSON one)
	slot            uint32       // spreads the checks of old files
}

// coldFile is a record file with nothing kept in it (all older than
// Options.Keep): only what tells that it changed, under its path's hash,
// so that a year of history costs a few bytes a file.
type coldFile struct {
	size, mod int64  // bytes, mtime in ns
	seen      uint32 // the walk that last listed it
}

// dirState is what the walk remembers of a folder.
type dirState struct {
	mod    time.Time
	listed time.Time
	due    time.Time // listed again from then on
	dirs   []string  // folders in it (links to folders included)
	seen   uint32
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
	// packed: Entries was copied to its length once the session went
	// quiet (appending leaves up to half of it unused).
	packed bool
}

// Tracker follows the agents' records. Safe for concurrent use.
type Tracker struct {
	o Options

	mu        sync.Mutex
	files     map[string]*trackedFile
	cold      map[uint64]coldFile
	dirs      map[string]*dirState
	walks     uint32
	sessions  map[string]*Session
	seen      dedupe
	models    map[string]string
	scanned   time.Time
	bytesRead int64 // for benchmarks, doctor and Live
	rd        *bufio.Reader
	// rates are the agents' own costs per weighted token: per session and
	// model (rates), and the latest per model (modelRates). agentcost.go.
	rates      map[string]map[string]float64
	modelRates map[string]float64
	// listed and statted count folders listed and files stat'ed by walks
	// (tests).
	listed, statted int
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
	return &Tracker{o: o, files: map[string]*trackedFile{}, cold: map[uint64]coldFile{}, dirs: map[string]*dirState{}, sessions: map[string]*Session{},
		seen: dedupe{}, models: map[string]string{}}
}

// Prices is the price table in use.
func (t *Tracker) Prices() Prices { return t.o.Prices }

// Poll is PollContext without a deadline.
func (t *Tracker) Poll() { t.PollContext(context.Background()) }

// PollContext reads what was appended since the last poll: every
// ScanEvery it walks the folders (new files, cold files that are due); in
// between it only stats the files that grew in the last HotFor. It stops
// early, where it can resume, when ctx ends (and returns ctx's error).
// Only regular files are read, each up to the size it had when looked at:
// a FIFO or a link to a device named like a record cannot block or spin
// it.
func (t *Tracker) PollContext(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.o.Now()
	if t.scanned.IsZero() || now.Sub(t.scanned) >= ScanEvery {
		first := t.scanned.IsZero()
		if err := t.scan(ctx, now); err != nil {
			return err
		}
		if first {
			t.rd = nil // its 256 KiB are not needed between reads
			if t.bytesRead > 16<<20 {
				// The first read of a large history leaves its garbage
				// behind: give it back now rather than keep it resident
				// for hours.
				debug.FreeOSMemory()
			}
		}
		t.scanned = now
		t.prune(now)
		return nil
	}
	for _, f := range t.files {
		if now.Sub(time.Unix(0, f.grew)) > HotFor {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if fi, err := os.Stat(f.path); err == nil && fi.Mode().IsRegular() && (fi.Size() != f.size || fi.ModTime().UnixNano() != f.mod) {
			t.read(ctx, f, fi, now)
		}
	}
	t.rd = nil
	return ctx.Err()
}

// scan walks the roots (links to folders followed, each folder once),
// listing the folders that are due, and reads what changed in the files
// that count and are due.
func (t *Tracker) scan(ctx context.Context, now time.Time) error {
	t.walks++
	visited := map[fileKey]bool{}
	jsonl := func(dir, name string) bool { return strings.HasSuffix(name, ".jsonl") }
	for _, dir := range t.o.Roots.Claude {
		t.walk(ctx, filepath.Join(dir, "projects"), Claude, jsonl, 0, visited, now)
	}
	if t.o.Roots.Codex != "" {
		t.walk(ctx, t.o.Roots.Codex, Codex, jsonl, 0, visited, now)
	}
	if t.o.Roots.Gemini != "" {
		// tmp/<project hash>/chats/session-*.json; since 0.6x
		// tmp/<project name>/chats/session-*.jsonl, whose header names the
		// hash.
		t.walk(ctx, t.o.Roots.Gemini, Gemini, func(dir, name string) bool {
			return strings.HasPrefix(name, "session-") && (strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".jsonl")) &&
				filepath.Base(dir) == "chats"
		}, 0, visited, now)
	}
	for path, f := range t.files {
		if err := ctx.Err(); err != nil {
			return err // what was not walked is not forgotten
		}
		if now.UnixNano() >= f.next {
			t.visit(ctx, path, f, now)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Folders no walk reached, and cold files no listing found for two
	// rounds, are gone.
	for path, d := range t.dirs {
		if d.seen != t.walks {
			delete(t.dirs, path)
		}
	}
	for k, c := range t.cold {
		if t.walks-c.seen > uint32(2*coldEvery/ScanEvery)+2 {
			delete(t.cold, k)
		}
	}
	return nil
}

// walk visits folder dir (following a link to it), listing it again when
// it changed or is due.
func (t *Tracker) walk(ctx context.Context, dir string, src Source, match func(dir, name string) bool, depth int, visited map[fileKey]bool, now time.Time) {
	if ctx.Err() != nil || depth > maxDepth {
		return
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return // not there, or not ours to read
	}
	if k, ok := keyOf(fi); ok {
		if visited[k] {
			return // a loop, or a folder reached twice
		}
		visited[k] = true
	}
	d := t.dirs[dir]
	// A folder modified within a second of its listing may have changed
	// again unseen (coarse times): it is listed again.
	if d == nil || !fi.ModTime().Equal(d.mod) || !now.Before(d.due) || d.listed.Sub(d.mod) < time.Second {
		if d = t.list(ctx, dir, fi.ModTime(), src, match, now); d == nil {
			return // interrupted
		}
		t.dirs[dir] = d
	}
	d.seen = t.walks
	for _, sub := range d.dirs {
		t.walk(ctx, sub, src, match, depth+1, visited, now)
	}
}

// list reads a folder: its subfolders, and its record files, each taken
// in (consider). Links are resolved: to a folder, it is walked; to a
// regular file, it is read; anything else (a FIFO, a device, a socket) is
// left alone. Its next listing is due within coldEvery (spread over the
// folders).
func (t *Tracker) list(ctx context.Context, dir string, mod time.Time, src Source, match func(dir, name string) bool, now time.Time) *dirState {
	t.listed++
	h := key(dir)
	d := &dirState{mod: mod, listed: now, due: now.Add(coldEvery - time.Duration(h%uint64(coldEvery/2)))}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return d
	}
	for _, e := range entries {
		if ctx.Err() != nil {
			return nil
		}
		path := filepath.Join(dir, e.Name())
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			fi, err := os.Stat(path)
			if err != nil {
				continue // dangling, or a loop of links
			}
			typ = fi.Mode().Type()
		}
		switch {
		case typ.IsDir():
			d.dirs = append(d.dirs, path)
		case typ.IsRegular() && match(dir, e.Name()):
			t.consider(ctx, path, src, now)
		}
	}
	return d
}

// consider takes in a record file a listing found: one that counts is
// read when due; a cold one is only remembered by size and mtime, and
// counts again once it changes.
func (t *Tracker) consider(ctx context.Context, path string, src Source, now time.Time) {
	if f := t.files[path]; f != nil {
		if now.UnixNano() >= f.next {
			t.visit(ctx, path, f, now)
		}
		return
	}
	h := key(path)
	c, wasCold := t.cold[h]
	t.statted++
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	size, mod := fi.Size(), fi.ModTime().UnixNano()
	if wasCold && c.size == size && c.mod == mod {
		c.seen = t.walks
		t.cold[h] = c
		return
	}
	jsonl := strings.HasSuffix(path, ".jsonl")
	if since := t.since(now); fi.ModTime().Before(since) && (src == Gemini && !jsonl || !wasCold || size < c.size) {
		// Nothing in it is kept: remembered, not read. (A cold file that
		// grew is read: what it appended may be recent.)
		t.cold[h] = coldFile{size: size, mod: mod, seen: t.walks}
		return
	}
	delete(t.cold, h)
	f := &trackedFile{path: path, src: src, slot: uint32(len(t.files) + len(t.cold))}
	if src == Codex {
		f.codex = &codexState{}
	}
	if src == Gemini && jsonl {
		f.gemini = &geminiState{hash: geminiFolder(path)}
	}
	if wasCold && (src == Claude || f.gemini != nil) && size >= c.size {
		// Appended to: only the new part is read. (A Codex rollout is read
		// from its start, for its session and model lines; what it counted
		// before is keyed and not counted again.)
		f.off, f.size, f.mod = c.size, c.size, c.mod
	}
	t.files[path] = f
	t.visit(ctx, path, f, now)
}

// visit reads what changed in a file that counts, and lets it go cold
// once nothing in it is kept.
func (t *Tracker) visit(ctx context.Context, path string, f *trackedFile, now time.Time) {
	t.statted++
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			delete(t.files, path)
		}
		return
	}
	if !fi.Mode().IsRegular() {
		return
	}
	if fi.Size() != f.size || fi.ModTime().UnixNano() != f.mod {
		t.read(ctx, f, fi, now)
	}
	if since := t.since(now); fi.ModTime().Before(since) && now.Sub(time.Unix(0, f.grew)) > HotFor && (f.off == fi.Size() || f.src != Claude) {
		// Its entries are pruned: it is cold now.
		delete(t.files, path)
		t.cold[key(path)] = coldFile{size: fi.Size(), mod: fi.ModTime().UnixNano(), seen: t.walks}
		return
	}
	// Checked again in a thirtieth of its age: every walk while it is
	// fresh (5 min), every 30 s after a quarter of an hour (an agent that
	// waited that long for its user and goes on), every coldEvery or a
	// little sooner once it is an hour old (spread, so that files read
	// together are not stat'ed again together).
	wait := min(max(now.Sub(fi.ModTime())/30, 0), coldEvery)
	f.next = now.Add(wait - wait*time.Duration(f.slot%8)/16).UnixNano()
}

// read takes in what changed in f, up to the size fi gives.
func (t *Tracker) read(ctx context.Context, f *trackedFile, fi fs.FileInfo, now time.Time) {
	grew := fi.Size() > f.size
	f.size, f.mod = fi.Size(), fi.ModTime().UnixNano()
	if grew || f.grew == 0 {
		f.grew = f.mod
	}
	if since := t.since(now); f.off == 0 && fi.ModTime().Before(since) {
		// Unchanged since before what is kept: nothing in it counts. If
		// it grows later, only what is appended is read.
		if f.src != Gemini || f.gemini != nil {
			f.off = fi.Size()
		}
		return
	}
	if f.src == Gemini && f.gemini == nil {
		t.readGemini(ctx, f)
		return
	}
	if fi.Size() < f.off {
		// Rewritten: start again. Known messages are not counted twice
		// (Claude's by message and request id, Codex's by session, time
		// and totals).
		f.off = 0
		if f.codex != nil {
			*f.codex = codexState{}
		}
		if f.gemini != nil {
			*f.gemini = geminiState{hash: geminiFolder(f.path)}
		}
	}
	fh, size, err := openRegular(f.path)
	if err != nil {
		return
	}
	defer fh.Close()
	if _, err := fh.Seek(f.off, io.SeekStart); err != nil || size <= f.off {
		return
	}
	if t.rd == nil {
		t.rd = bufio.NewReaderSize(nil, 256<<10)
	}
	r := t.rd
	r.Reset(io.LimitReader(fh, size-f.off)) // what was there when looked at: a file that keeps growing cannot hold the poll
	defer r.Reset(nil)
	var long []byte // a line longer than the buffer
	skipping := false
	for n := 0; ; n++ {
		if n%256 == 0 && ctx.Err() != nil {
			return // f.off is at a line's end: the next poll goes on from there
		}
		chunk, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !skipping && len(long)+len(chunk) <= lineLimit {
				long = append(long, chunk...)
			} else {
				skipping, long = true, nil
			}
			continue
		}
		if err != nil {
			break // the end of what was seen: an unfinished last line is read again next time
		}
		f.off += int64(len(long) + len(chunk))
		t.bytesRead += int64(len(long) + len(chunk))
		line := chunk
		if long != nil {
			line = append(long, chunk...)
		}
		long = nil
		if skipping || len(line) > lineLimit {
			skipping = false
			continue
		}
		var e Entry
		var ok bool
		switch {
		case f.src == Claude:
			if cs, isCost := parseClaudeCost(line, f.path); isCost {
				t.agentCost(cs)
				continue
			}
			e, ok = parseClaude(line, f.path, t.seen, t.since(now))
		case f.gemini != nil:
			for _, e := range parseGeminiLine(line, f.gemini, f.path, t.seen) {
				t.add(e, f.gemini.hash, now)
			}
			continue
		default:
			e, ok = parseCodex(line, f.codex, f.path)
			if ok && e.msg != 0 && !e.Time.Before(t.since(now)) {
				// A rewritten rollout is read again from its start: what
				// was counted is not counted again.
				e.Tokens = t.seen.count(e.msg, e.Tokens, e.Time)
				e.msg = 0 // each event its own entry, not folded with the next
			}
		}
		if ok {
			t.add(e, "", now)
		}
	}
}

func (t *Tracker) readGemini(ctx context.Context, f *trackedFile) {
	if f.size > maxGemini {
		return
	}
	fh, size, err := openRegular(f.path)
	if err != nil || size > maxGemini {
		return
	}
	defer fh.Close()
	entries, hash, ok := decodeGemini(ctx, io.LimitReader(fh, size), f.path, t.seen)
	t.bytesRead += size
	if !ok {
		return
	}
	if hash == "" {
		hash = geminiFolder(f.path)
	}
	now := t.o.Now()
	for _, e := range entries {
		t.add(e, hash, now)
	}
}

// maxCwds bounds the folders remembered per session.
const maxCwds = 8

// prune drops entries older than Keep (a resident runs for days), and
// packs the entries of sessions that went quiet.
func (t *Tracker) prune(now time.Time) {
	since := t.since(now)
	if since.IsZero() {
		return
	}
	for _, s := range t.sessions {
		if !s.packed && now.Sub(s.Last) > HotFor {
			s.Entries, s.packed = slices.Clone(s.Entries), true
		}
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
	s.Entries, s.packed = append(s.Entries, e), false
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
	return len(t.files) + len(t.cold)
}

// geminiFolder is the folder a Gemini CLI recording is kept under:
// tmp/<project hash>/chats/session-*.json, or since 0.6x tmp/<project
// name>/chats/session-*.jsonl (whose header then names the hash).
func geminiFolder(path string) string { return filepath.Base(filepath.Dir(filepath.Dir(path))) }
