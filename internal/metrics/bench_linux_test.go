package metrics

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/shirou/gopsutil/v4/process"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"golang.org/x/sys/unix"
)

const (
	benchPtys      = 16 // panes
	benchPerPty    = 3  // sleeps per pane, plus the sh that waits for them: 64 pane processes
	benchOthers    = 1000
	benchSleepSecs = "900"
)

var (
	benchOnce sync.Once
	benchRefs []PaneRef
	benchPtmx []*os.File // kept referenced: a collected master hangs up the sleeps
	benchErr  error
)

// startLoad puts 16 ptys with 4 processes each (64 pane processes) and
// 1000 processes that are no pane's (sleeps without a terminal) on the
// machine for the rest of the benchmark binary's life.
func startLoad(b *testing.B) []PaneRef {
	benchOnce.Do(func() {
		script := func(n int) string {
			return fmt.Sprintf("i=0; while [ $i -lt %d ]; do sleep %s & i=$((i+1)); done; wait", n, benchSleepSecs)
		}
		for i := 0; i < benchPtys; i++ {
			ptmx, tty, err := pty.Open()
			if err != nil {
				benchErr = err
				return
			}
			cmd := exec.Command("sh", "-c", script(benchPerPty))
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
			if err := cmd.Start(); err != nil {
				benchErr = err
				return
			}
			benchRefs = append(benchRefs, PaneRef{ID: 1000 + uint64ID(i), TTY: tty.Name()})
			tty.Close()
			benchPtmx = append(benchPtmx, ptmx)
		}
		others := exec.Command("sh", "-c", script(benchOthers))
		others.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no terminal: no pane's
		if err := others.Start(); err != nil {
			benchErr = err
			return
		}
		// Wait until every sleep runs.
		s := New(Options{})
		deadline := time.Now().Add(60 * time.Second)
		for {
			snap, err := s.Sample(context.Background(), benchRefs)
			if err != nil {
				benchErr = err
				return
			}
			n := 0
			for _, p := range snap.Panes {
				n += p.ProcessCount
			}
			if n >= benchPtys*(benchPerPty+1) && floorTick() >= benchOthers+benchPtys*(benchPerPty+1) {
				return
			}
			if time.Now().After(deadline) {
				benchErr = fmt.Errorf("only %d of %d pane processes started", n, benchPtys*(benchPerPty+1))
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchRefs
}

func uint64ID(i int) wezterm.PaneID { return wezterm.PaneID(i) }

// readSmall reads a whole small file into buf with open+read+close.
func readSmall(path string, buf []byte) (int, bool) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, false
	}
	defer unix.Close(fd)
	// procfs renders the file on the first read: a short read is the whole
	// file, so no second read is needed to see EOF.
	total := 0
	for total < len(buf) {
		n, err := unix.Read(fd, buf[total:])
		if err != nil {
			return 0, false
		}
		total += n
		if n == 0 || total < len(buf) {
			break
		}
	}
	return total, true
}

// floorTick reads every /proc/PID/stat once and nothing else: the least any
// sampler can do.
func floorTick() int {
	d, err := os.Open("/proc")
	if err != nil {
		return 0
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	buf := make([]byte, 4096)
	n := 0
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		if _, ok := readSmall("/proc/"+name+"/stat", buf); ok {
			n++
		}
	}
	return n
}

// naiveTick is the obvious gopsutil loop.
func naiveTick() int {
	ps, err := process.Processes()
	if err != nil {
		return 0
	}
	n := 0
	for _, p := range ps {
		_, _ = p.Terminal()
		_, _ = p.Times()
		_, _ = p.MemoryInfo()
		_, _ = p.Ppid()
		n++
	}
	return n
}

// BenchmarkTick times one tick of (a) the sampler for 16 panes (64
// processes) among 1000 processes that are no pane's, (b) a naive gopsutil
// loop and (c) the floor of reading every /proc/PID/stat once, and prints
// the ratio the target is stated in: (a) <= 0.25 x (c). The sampler reads
// only pane processes (and new pids) between its full passes, so (a) is
// timed in that steady state; "sampler-full" times a full pass.
func BenchmarkTick(b *testing.B) {
	refs := startLoad(b)
	s := New(Options{})
	ctx := context.Background()
	for range 2 {
		if _, err := s.Sample(ctx, refs); err != nil {
			b.Fatal(err)
		}
	}
	r := s.reader.(*linuxReader)
	clock := time.Now()
	r.now = func() time.Time { return clock } // no full pass falls due mid-benchmark
	// Newcomers are old by now.
	for _, k := range r.known {
		k.first = clock.Add(-time.Hour)
	}
	var procs int
	perTick := map[string]float64{}
	measure := func(name string, tick func()) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				tick()
			}
			perTick[name] = float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
			b.ReportMetric(perTick[name], "ms/tick")
		})
	}
	// Reading every process once first lets the new load settle (the
	// first passes over fresh processes are slower); the floor is timed
	// again, settled, at the end.
	measure("settle", func() { floorTick() })
	measure("sampler", func() {
		if _, err := s.Sample(ctx, refs); err != nil {
			b.Fatal(err)
		}
	})
	full := New(Options{})
	full.Sample(ctx, refs)
	measure("sampler-full", func() {
		full.reader.(*linuxReader).fullDue = true
		if _, err := full.Sample(ctx, refs); err != nil {
			b.Fatal(err)
		}
	})
	measure("naive-gopsutil", func() { procs = naiveTick() })
	measure("floor", func() { floorTick() })
	a, af, nv, fl := perTick["sampler"], perTick["sampler-full"], perTick["naive-gopsutil"], perTick["floor"]
	if a == 0 || fl == 0 {
		return // filtered out with -bench
	}
	fmt.Printf("tick cost over %d processes, %d panes (%d pane processes): (a) sampler %.2f ms (a full pass %.2f ms, every %s), "+
		"(b) naive gopsutil %.2f ms, (c) floor %.2f ms; (a)/(c) = %.2f (target <= 0.25), (b)/(a) = %.0fx\n",
		procs, len(refs), benchPtys*(benchPerPty+1), a, af, fullEvery, nv, fl, a/fl, nv/a)
}
