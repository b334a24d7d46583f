package spend

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/spend/spendtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// history writes about size bytes of transcripts under dir, the last
// entries 9 h old, the first 40 h.
func history(tb testing.TB, dir string, size int64) int {
	tb.Helper()
	n, err := spendtest.History(dir, size, time.Now().Add(-40*time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkReadHistory reads 100 MB of transcripts from the start (what a
// tracker does once; target ≤ 1 s), next to the floor: reading the same
// bytes line by line without parsing.
func BenchmarkReadHistory(b *testing.B) {
	dir := b.TempDir()
	history(b, dir, 100<<20)
	b.Run("tracker", func(b *testing.B) {
		for b.Loop() {
			tr := NewTracker(Options{Roots: Roots{Claude: []string{dir}}, Prices: bundled(b)})
			tr.Poll()
			b.SetBytes(tr.ReadBytes())
		}
	})
	// What a resident keeps of it (two days: all of it here), in heap.
	b.Run("resident-48h", func(b *testing.B) {
		for b.Loop() {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			tr := NewTracker(Options{Roots: Roots{Claude: []string{dir}}, Prices: bundled(b), Keep: 48 * time.Hour})
			tr.Poll()
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-kept")
			runtime.KeepAlive(tr)
		}
	})
	b.Run("floor-read-lines", func(b *testing.B) {
		for b.Loop() {
			var n int64
			filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return nil
				}
				f, _ := os.Open(path)
				r := bufio.NewReaderSize(f, 256<<10)
				for {
					l, err := r.ReadSlice('\n')
					n += int64(len(l))
					if err == io.EOF {
						break
					}
				}
				f.Close()
				return nil
			})
			b.SetBytes(n)
		}
	})
}

// BenchmarkTick is one tick after the history was read: a poll of the
// files that grew lately (one gets a message appended) and the pane
// spend of four agents (target ≤ 1 ms). Every file was just written, so
// all are "hot" (stat'ed every tick): the worst case.
func BenchmarkTick(b *testing.B) {
	dir := b.TempDir()
	history(b, dir, 100<<20)
	now := time.Now()
	tr := NewTracker(Options{Roots: Roots{Claude: []string{dir}}, Prices: bundled(b), Now: func() time.Time { return now }})
	tr.Poll()
	agents := make([]Agent, 4)
	for i := range agents {
		agents[i] = Agent{Pane: wezterm.PaneID(i), Source: Claude, Start: now.Add(-30 * time.Hour), Cwd: fmt.Sprintf("/work/project-%02d", i)}
	}
	live := filepath.Join(dir, "projects", "-work-project-00", "live.jsonl")
	f, _ := os.Create(live)
	defer f.Close()
	day := now.Add(-12 * time.Hour)
	i := 0
	for b.Loop() {
		i++
		now = now.Add(time.Second / 10) // hot-file polls between scans
		if i%10 == 0 {
			fmt.Fprintf(f, `{"type":"assistant","sessionId":"live","cwd":"/work/project-00","requestId":"r%d","timestamp":"%s","message":{"id":"m%d","model":"claude-sonnet-4-5","usage":{"input_tokens":1,"output_tokens":2,"cache_creation_input_tokens":3,"cache_read_input_tokens":4}}}`+"\n",
				i, now.Format(time.RFC3339Nano), i)
		}
		tr.Poll()
		tr.Spend(agents, now, day)
	}
}

// BenchmarkScan is one walk of the folders (every ScanEvery) in a
// resident that follows 20 000 transcripts, written today or a month
// ago, and the day's spend computed after it, with their memory kept.
func BenchmarkScan(b *testing.B) {
	for _, tc := range []struct {
		name     string
		from, to time.Duration
	}{{"today", 20 * time.Hour, 0}, {"month-old", 750 * time.Hour, 720 * time.Hour}} {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			now := time.Now()
			if err := spendtest.Sessions(dir, 20000, 3, now.Add(-tc.from), now.Add(-tc.to)); err != nil {
				b.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			tr := NewTracker(Options{Roots: Roots{Claude: []string{dir}}, Prices: bundled(b), Keep: 48 * time.Hour, Now: func() time.Time { return now }})
			tr.Poll()
			runtime.GC()
			runtime.ReadMemStats(&after)
			kept := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
			day := now.Add(-12 * time.Hour)
			agents := []Agent{{Pane: 1, Source: Claude, Start: now.Add(-time.Hour), Cwd: "/work/p001"}}
			for b.Loop() {
				now = now.Add(ScanEvery)
				tr.Poll()
				tr.Spend(agents, now, day)
			}
			b.ReportMetric(kept, "MiB-kept")
			runtime.KeepAlive(tr)
		})
	}
}

// BenchmarkGemini reads a 60 MB Gemini CLI recording (what the resident
// does each time Gemini CLI rewrites it): streamed, next to decoding it
// whole; peak-heap is the most the heap held over a read.
func BenchmarkGemini(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "h", "chats", "session-1.json")
	if err := spendtest.Gemini(path, 60<<20, time.Now()); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	peak := func(b *testing.B, read func()) {
		var before, during runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		stop := make(chan struct{})
		most := uint64(0)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
					runtime.ReadMemStats(&during)
					most = max(most, during.HeapInuse)
				}
			}
		}()
		for b.Loop() {
			read()
		}
		close(stop)
		<-done
		b.SetBytes(fi.Size())
		b.ReportMetric(float64(most-min(most, before.HeapInuse))/(1<<20), "MiB-peak-heap")
	}
	b.Run("stream", func(b *testing.B) {
		peak(b, func() {
			f, _ := os.Open(path)
			decodeGemini(context.Background(), f, path, dedupe{})
			f.Close()
		})
	})
	b.Run("whole", func(b *testing.B) {
		peak(b, func() {
			data, _ := os.ReadFile(path)
			parseGemini(data, path, dedupe{})
		})
	})
}
