// Package spendtest writes agent usage records for benchmarks and cost
// scripts: Claude Code transcripts of the shape real ones have.
package spendtest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// History writes about size bytes of Claude Code transcripts under dir
// (a config folder: dir/projects/...): 40 projects of sessions whose turns
// are a tool result (a few KiB of file text) and an assistant message
// written three times as it streams, one turn every 7 s from start on.
func History(dir string, size int64, start time.Time) (files int, err error) {
	filler := strings.Repeat("func parse(line []byte) (Entry, bool) { return decode(line) } // ", 80)
	var written int64
	for s := 0; written < size; s++ {
		proj := filepath.Join(dir, "projects", fmt.Sprintf("-work-project-%02d", s%40))
		if err := os.MkdirAll(proj, 0o700); err != nil {
			return files, err
		}
		f, err := os.Create(filepath.Join(proj, fmt.Sprintf("session-%05d.jsonl", s)))
		if err != nil {
			return files, err
		}
		w := bufio.NewWriter(f)
		var last time.Time
		for turn := 0; turn < 200 && written < size; turn++ {
			last = start.Add(time.Duration(s*200+turn) * 7 * time.Second)
			at := last.UTC().Format("2006-01-02T15:04:05.000Z")
			n, _ := fmt.Fprintf(w, `{"parentUuid":"p","isSidechain":false,"userType":"external","cwd":"/work/project-%02d","sessionId":"s%05d","version":"2.0.31","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_%d","type":"tool_result","content":"%s"}]},"uuid":"u%d","timestamp":"%s"}`+"\n",
				s%40, s, turn, filler[:1000+turn%7*500], turn, at)
			written += int64(n)
			for part := 0; part < 3; part++ {
				n, _ = fmt.Fprintf(w, `{"parentUuid":"u%d","isSidechain":false,"userType":"external","cwd":"/work/project-%02d","sessionId":"s%05d","version":"2.0.31","gitBranch":"main","message":{"id":"msg_%05d_%03d","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"%s"}],"stop_reason":null,"usage":{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,"output_tokens":%d,"service_tier":"standard"}},"requestId":"req_%05d_%03d","type":"assistant","uuid":"a%d","timestamp":"%s"}`+"\n",
					turn, s%40, s, s, turn, filler[:300], 4+turn%5, 300+turn, 20000+turn*100, 20+part*200, s, turn, turn, at)
				written += int64(n)
			}
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return files, err
		}
		if err := f.Close(); err != nil {
			return files, err
		}
		// Modified when its last line was written, as a real one was.
		if err := os.Chtimes(f.Name(), last, last); err != nil {
			return files, err
		}
		files++
	}
	return files, nil
}
