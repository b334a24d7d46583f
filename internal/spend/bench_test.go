package spend

import (
	"bufio"
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
