package snapshot

import (
	"encoding/binary"
	"hash/fnv"
	"io"
	"math"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// When the writer writes.
const (
	// Debounce: a changed state is written once it has been stable this
	// long (a split being dragged, a restore under way)…
	Debounce = 10 * time.Second
	// MaxDelay: …or once it has been changing for this long.
	MaxDelay = time.Minute
	// Every: the newest snapshot is confirmed (rewritten with what the
	// panes hold now) at least this often.
	Every = 5 * time.Minute
)

// Did says what one Observe did.
type Did int

// What Observe did.
const (
	Nothing Did = iota // nothing due
	Skipped            // the state is not worth recording (blank, not sampled)
	Created            // a new snapshot file (panes, programs or agents changed)
	Updated            // the newest file rewritten (folders, sizes, sessions, or confirmed)
)

func (d Did) String() string {
	return [...]string{"nothing", "skipped", "created", "updated"}[d]
}

// Writer keeps the store's newest snapshot up to date with the trees it
// is shown (the resident's, or the window's when it runs alone): a new
// file when the shape changes (workspaces, tabs, splits, what runs in
// each pane), the newest rewritten when only details change (folders,
// sizes, sessions, titles) and at least every Every; nothing for a blank
// WezTerm (one pane with a shell: what it shows after a restart, which
// must not push the state worth restoring out). Safe for concurrent use.
type Writer struct {
	Store  *Store
	Source string
	// Debounce, MaxDelay and Every default to the package's constants.
	Debounce, MaxDelay, Every time.Duration

	mu      sync.Mutex
	loaded  bool
	last    *Snapshot // the newest file, as written
	lastSig sig
	wrote   time.Time
	pend    *Snapshot // a changed state waiting for its debounce
	pendSig sig
	changed time.Time // when pend last changed
	dirty   time.Time // when the state first differed from last
	seen    uint64    // treeKey of the last tree observed
}

// sig is a state's two hashes: its shape (a new file when it changes) and
// its details (the newest file rewritten).
type sig struct{ shape, detail uint64 }

// NewWriter writes into st, naming source in each snapshot.
func NewWriter(st *Store, source string) *Writer {
	return &Writer{Store: st, Source: source}
}

func (w *Writer) durations() (time.Duration, time.Duration, time.Duration) {
	d, m, e := w.Debounce, w.MaxDelay, w.Every
	if d <= 0 {
		d = Debounce
	}
	if m <= 0 {
		m = MaxDelay
	}
	if e <= 0 {
		e = Every
	}
	return d, m, e
}

// Observe is one tick: tree is what WezTerm shows now (call it only while
// connected). It writes when something is due and says what it did.
func (w *Writer) Observe(now time.Time, tree topology.Tree) (Did, error) {
	if !sampled(tree) {
		return Skipped, nil
	}
	key := treeKey(tree)
	w.mu.Lock()
	defer w.mu.Unlock()
	debounce, maxDelay, every := w.durations()
	if !w.loaded {
		w.loaded = true
		w.loadNewest()
	}
	if key == w.seen && w.pend == nil && w.last != nil && now.Sub(w.wrote) < every {
		// The common tick: the same panes as last time, nothing due.
		return Nothing, nil
	}
	w.seen = key
	s := Take(tree, now, w.Source)
	if s.Blank() {
		return Skipped, nil
	}
	g := signature(s)
	if w.last != nil && g == w.lastSig {
		w.pend, w.dirty = nil, time.Time{}
		if now.Sub(w.wrote) >= every {
			return w.update(now, s)
		}
		return Nothing, nil
	}
	if w.pend == nil || g != w.pendSig {
		w.pend, w.pendSig, w.changed = s, g, now
		if w.dirty.IsZero() {
			w.dirty = now
		}
	} else {
		w.pend = s // the same state, the latest titles
	}
	if now.Sub(w.changed) < debounce && now.Sub(w.dirty) < maxDelay {
		return Nothing, nil
	}
	if w.last != nil && g.shape == w.lastSig.shape {
		return w.update(now, w.pend)
	}
	p := w.pend
	p.Taken, p.Confirmed = w.changed, now
	if _, err := w.Store.Save(p); err != nil {
		return Nothing, err
	}
	w.last, w.lastSig, w.wrote = p, g, now
	w.pend, w.dirty = nil, time.Time{}
	return Created, nil
}

// update rewrites the newest file with s (its id and first time kept).
func (w *Writer) update(now time.Time, s *Snapshot) (Did, error) {
	s.ID, s.Taken, s.Confirmed = w.last.ID, w.last.Taken, now
	if _, err := w.Store.Update(s); err != nil {
		return Nothing, err
	}
	w.last, w.lastSig, w.wrote = s, signature(s), now
	w.pend, w.dirty = nil, time.Time{}
	return Updated, nil
}

// loadNewest starts from the store's newest file, so a restarted resident
// confirms it instead of adding one more of the same.
func (w *Writer) loadNewest() {
	ids, err := w.Store.ids()
	if err != nil || len(ids) == 0 {
		return
	}
	s, _, err := w.Store.load(ids[len(ids)-1])
	if err != nil || s.Blank() {
		return
	}
	w.last, w.lastSig, w.wrote = s, signature(s), s.Confirmed
}

// sampled: the process table was read (without it no pane would say what
// runs in it, and the snapshot would lose every program). Panes without a
// tty (Windows, remote domains) never have usage: they do not count.
func sampled(t topology.Tree) bool {
	usage, ttys := false, false
	t.EachPane(func(p *topology.Pane) {
		usage = usage || p.Usage != nil
		ttys = ttys || p.TTY != nil
	})
	return usage || !ttys
}

// treeKey hashes what a snapshot of t would hold but the pane titles:
// when it is the same as the last tick's, nothing needs taking.
func treeKey(t topology.Tree) uint64 {
	// FNV-1a inline: no allocation per string on the resident's every tick.
	h := uint64(14695981039346656037)
	num := func(v uint64) {
		for i := 0; i < 8; i++ {
			h ^= v & 0xff
			h *= 1099511628211
			v >>= 8
		}
	}
	str := func(s string) {
		num(uint64(len(s)))
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	for _, ws := range t.Workspaces {
		str(ws.Name)
		for _, win := range ws.Windows {
			num(uint64(win.ID))
			for _, tab := range win.Tabs {
				num(uint64(tab.ID))
				str(tab.Title)
				for i := range tab.Panes {
					p := &tab.Panes[i]
					num(uint64(p.ID))
					num(uint64(p.Left)<<32 | uint64(p.Top))
					num(uint64(p.Cols)<<32 | uint64(p.Rows))
					str(p.CWD)
					str(p.Host)
					if p.TTY != nil {
						str(*p.TTY)
					}
					if p.Usage != nil && p.Usage.Foreground != nil {
						str(p.Usage.Foreground.Cmdline)
						for _, g := range p.Usage.Group {
							str(g.Cmdline)
						}
					}
					if a := p.Agent; a != nil {
						str(a.Name)
						str(string(a.Status))
						str(a.Session)
					}
					if p.Spend != nil {
						str(p.Spend.Session)
						str(p.Spend.Model)
					}
					var flags uint64
					for i, f := range [...]bool{p.Active, p.Zoomed, p.Focused, p.Usage == nil} {
						if f {
							flags |= 1 << i
						}
					}
					num(flags)
				}
			}
		}
	}
	return h
}

// signature hashes what decides a new file (the shape: workspaces,
// windows, tabs, splits and what runs in each pane) and what only
// refreshes the newest (folders, sizes, sessions, titles of tabs). Pane
// titles change all the time (spinners, prompts) and are in neither.
func signature(s *Snapshot) sig {
	sh, de := fnv.New64a(), fnv.New64a()
	str := func(h io.Writer, v string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		io.WriteString(h, v)
	}
	num := func(h io.Writer, v float64) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], math.Float64bits(v))
		h.Write(n[:])
	}
	var node func(n *Node)
	node = func(n *Node) {
		str(sh, n.Split)
		num(sh, float64(len(n.Children)))
		num(de, n.Size)
		if p := n.Pane; p != nil {
			str(sh, p.Shell)
			if p.Program != nil {
				str(sh, p.Program.Cmdline)
			}
			if p.Agent != nil {
				str(sh, p.Agent.Name)
				str(de, p.Agent.Session)
				str(de, p.Agent.Model)
			}
			str(sh, string(p.Place))
			str(de, p.Dir)
			str(de, p.Host)
			str(de, p.RemoteDir)
			for _, v := range []int{p.Left, p.Top, p.Cols, p.Rows} {
				num(de, float64(v))
			}
			for _, b := range []bool{p.Active, p.Zoomed, p.Focused} {
				if b {
					num(de, 1)
				} else {
					num(de, 0)
				}
			}
		}
		for _, c := range n.Children {
			node(c)
		}
	}
	for _, ws := range s.Workspaces {
		str(sh, ws.Name)
		num(sh, float64(len(ws.Windows)))
		for _, win := range ws.Windows {
			num(sh, float64(len(win.Tabs)))
			for _, t := range win.Tabs {
				str(de, t.Title)
				num(de, float64(t.Cols))
				num(de, float64(t.Rows))
				node(t.Root)
			}
		}
	}
	return sig{sh.Sum64(), de.Sum64()}
}
