package metrics

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// TestMain: the test binary is also the stand-in's CLI (as wezterm-sim) and
// a memory hog for the RSS test (as wp-alloc N: allocate and touch N MiB).
func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == "wp-alloc" {
		mib, _ := strconv.Atoi(os.Args[1])
		buf := make([]byte, mib<<20)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		fmt.Println("allocated", len(buf))
		time.Sleep(time.Hour)
		_ = buf[0]
		return
	}
	simtest.Main(m)
}

type paneSet struct {
	env    *simtest.Env
	client *wezterm.Client
}

func newPaneSet(t *testing.T) *paneSet {
	env := simtest.Start(t, sim.Config{})
	return &paneSet{env: env, client: env.Client()}
}

func (ps *paneSet) spawn(t *testing.T, prog ...string) wezterm.PaneID {
	t.Helper()
	id, err := ps.client.Spawn(context.Background(), wezterm.SpawnOptions{NewWindow: true, Program: prog})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (ps *paneSet) refs(t *testing.T) ([]PaneRef, map[wezterm.PaneID]string) {
	t.Helper()
	panes, err := ps.client.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var refs []PaneRef
	ttys := map[wezterm.PaneID]string{}
	for _, p := range panes {
		refs = append(refs, PaneRef{ID: p.PaneID, TTY: p.TTY()})
		ttys[p.PaneID] = p.TTY()
	}
	return refs, ttys
}

func TestBurnerAndIdlePanes(t *testing.T) {
	ps := newPaneSet(t)
	burner := ps.spawn(t, "sh", "-c", "while :; do :; done")
	idle := ps.spawn(t, "sleep", "300")
	refs, _ := ps.refs(t)
	s := New(Options{})
	ctx := context.Background()
	var burnerCPU, idleCPU []float64
	for tick := 0; tick < 4; tick++ {
		snap, err := s.Sample(ctx, refs)
		if err != nil {
			t.Fatal(err)
		}
		if b := snap.Panes[burner].CPUPercent; b != nil {
			burnerCPU = append(burnerCPU, *b)
			idleCPU = append(idleCPU, *snap.Panes[idle].CPUPercent)
		} else if tick > 0 {
			t.Fatalf("tick %d: no CPU figure", tick)
		}
		time.Sleep(500 * time.Millisecond)
	}
	// "Within two ticks": the second tick (the first with a figure) should
	// already show it; a loaded CI machine gets two more chances.
	high := false
	for _, c := range burnerCPU {
		high = high || c > 50
	}
	if !high {
		t.Errorf("burner CPU %v never above 50%%", burnerCPU)
	}
	for _, c := range idleCPU {
		if c > 5 {
			t.Errorf("idle pane CPU %v above 5%%", idleCPU)
		}
	}
	if fg := s.mustSample(t, refs).Panes[burner].Foreground; fg == nil || fg.Name != "sh" || !strings.Contains(fg.Cmdline, "while :; do :; done") {
		t.Errorf("burner foreground = %+v", fg)
	}
}

func (s *Sampler) mustSample(t *testing.T, refs []PaneRef) Snapshot {
	t.Helper()
	snap, err := s.Sample(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestRSSOfAllocatingPane(t *testing.T) {
	ps := newPaneSet(t)
	exe, _ := os.Executable()
	hog := filepath.Join(ps.env.Dir, "wp-alloc")
	if err := os.Symlink(exe, hog); err != nil {
		t.Fatal(err)
	}
	id := ps.spawn(t, hog, "200")
	refs, _ := ps.refs(t)
	s := New(Options{})
	simtest.Eventually(t, "RSS >= 200 MB", func() bool {
		return s.mustSample(t, refs).Panes[id].RSS >= 200<<20
	})
}

func TestDescendantsAndForeground(t *testing.T) {
	ps := newPaneSet(t)
	// A child of a child, and a descendant that left the terminal (setsid):
	// both belong to the pane.
	tree := ps.spawn(t, "sh", "-c", `sh -c 'sleep 301; :' & setsid sleep 302 & wait`)
	shell := ps.spawn(t, "/bin/sh") // interactive: job control, so a foreground job gets its own group
	refs, _ := ps.refs(t)
	s := New(Options{})
	// Four processes, once setsid has exec'd its sleep (before that the
	// process is still called setsid).
	var got string
	simtest.Eventually(t, "the tree pane's four processes", func() bool {
		p := s.mustSample(t, refs).Panes[tree]
		var names []string
		for _, pr := range p.Procs {
			names = append(names, fmt.Sprintf("%s@%d", pr.Name, pr.Depth))
		}
		got = strings.Join(names, " ")
		return p.ProcessCount == 4 && strings.Contains(got, "sleep@2") && strings.Contains(got, "sleep@1")
	})
	// Foreground of an idle shell is the shell; after `sleep 5` it is sleep.
	simtest.Eventually(t, "shell in the foreground", func() bool {
		fg := s.mustSample(t, refs).Panes[shell].Foreground
		return fg != nil && fg.Name == "sh"
	})
	if err := ps.client.SendText(context.Background(), shell, "sleep 5\r", false); err != nil {
		t.Fatal(err)
	}
	simtest.Eventually(t, "sleep in the foreground", func() bool {
		fg := s.mustSample(t, refs).Panes[shell].Foreground
		return fg != nil && fg.Name == "sleep" && fg.Cmdline == "sleep 5"
	})
}

// TestRSSMatchesPs compares a pane's RSS with the sum ps reports for its tty.
func TestRSSMatchesPs(t *testing.T) {
	if _, err := exec.LookPath("ps"); err != nil {
		t.Skip("ps not installed")
	}
	ps := newPaneSet(t)
	id := ps.spawn(t, "sh", "-c", "sleep 300 & sleep 300 & cat")
	refs, ttys := ps.refs(t)
	s := New(Options{})
	// Wait until every child has exec'd: a forked sh not yet turned into
	// sleep or cat would be counted with the wrong size.
	simtest.Eventually(t, "sh, two sleeps and cat", func() bool {
		var names []string
		for _, p := range s.mustSample(t, refs).Panes[id].Procs {
			names = append(names, p.Name)
		}
		sort.Strings(names)
		return strings.Join(names, " ") == "cat sh sleep sleep"
	})
	psRSS := func() uint64 {
		out, err := exec.Command("ps", "-t", strings.TrimPrefix(ttys[id], "/dev/"), "-o", "rss=").Output()
		if err != nil {
			t.Fatal(err)
		}
		var sum uint64
		for _, f := range strings.Fields(string(out)) {
			kb, _ := strconv.ParseUint(f, 10, 64)
			sum += kb << 10
		}
		return sum
	}
	// Freshly started processes still fault pages in: compare once our
	// figure is the same just before and just after ps ran.
	var ours, theirs uint64
	simtest.Eventually(t, "a stable RSS", func() bool {
		before := s.mustSample(t, refs).Panes[id].RSS
		theirs = psRSS()
		ours = s.mustSample(t, refs).Panes[id].RSS
		return before == ours && theirs > 0
	})
	diff := float64(ours) - float64(theirs)
	if diff < 0 {
		diff = -diff
	}
	if diff/float64(theirs) > 0.10 {
		t.Errorf("RSS %d vs ps %d: off by more than 10%%", ours, theirs)
	}
}

func TestSystemNumbers(t *testing.T) {
	s := New(Options{History: 3})
	first := s.mustSample(t, nil)
	if first.System.CPUPercent != nil {
		t.Error("first tick must not claim a CPU figure")
	}
	if first.System.MemTotal == 0 || first.System.MemUsed == 0 || first.System.MemUsed > first.System.MemTotal {
		t.Errorf("memory: %+v", first.System)
	}
	time.Sleep(50 * time.Millisecond)
	second := s.mustSample(t, nil)
	if second.System.CPUPercent == nil || *second.System.CPUPercent < 0 || *second.System.CPUPercent > 100 ||
		len(second.System.PerCore) == 0 {
		t.Errorf("second tick: %+v", second.System)
	}
	if len(s.SystemHistory()) != 1 {
		t.Errorf("system history = %d samples", len(s.SystemHistory()))
	}
}
