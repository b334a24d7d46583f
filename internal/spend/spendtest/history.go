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

// Sessions writes files Claude Code transcripts under dir (a config
// folder), 100 per project folder, each of entries assistant messages,
// their times spread evenly from from to to (a heavy user's year, or a
// day of many short sessions). Each file's mtime is its last entry's.
func Sessions(dir string, files, entries int, from, to time.Time) error {
	step := time.Duration(0)
	if files > 1 {
		step = to.Sub(from) / time.Duration(files-1)
	}
	for s := 0; s < files; s++ {
		proj := filepath.Join(dir, "projects", fmt.Sprintf("-work-p%03d", s/100))
		if err := os.MkdirAll(proj, 0o700); err != nil {
			return err
		}
		at := from.Add(time.Duration(s) * step)
		var b strings.Builder
		for e := 0; e < entries; e++ {
			t := at.Add(time.Duration(e-entries) * time.Second).UTC().Format("2006-01-02T15:04:05.000Z")
			fmt.Fprintf(&b, `{"type":"assistant","cwd":"/work/p%03d","sessionId":"y%06d","requestId":"req_y%06d_%d","timestamp":"%s","message":{"id":"msg_y%06d_%d","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":%d,"cache_creation_input_tokens":400,"cache_read_input_tokens":18000,"output_tokens":%d}}}`+"\n",
				s/100, s, s, e, t, s, e, 900+e, 200+e)
		}
		path := filepath.Join(proj, fmt.Sprintf("y%06d.jsonl", s))
		if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
			return err
		}
		if err := os.Chtimes(path, at, at); err != nil {
			return err
		}
	}
	return nil
}

// Gemini writes a Gemini CLI chat recording of about size bytes at path
// (tmp/<hash>/chats/session-*.json): messages of padded text, every other
// one the model's with token counts, the last at.
func Gemini(path string, size int64, at time.Time) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	filler := strings.Repeat("lorem ipsum dolor sit amet ", 150)
	fmt.Fprintf(w, `{"sessionId":"g-1","projectHash":"%064d","messages":[`, 0)
	var written int64
	n := int(size / int64(len(filler)+200))
	for i := 0; i < n; i++ {
		t := at.Add(time.Duration(i-n) * time.Second).UTC().Format("2006-01-02T15:04:05.000Z")
		if i > 0 {
			w.WriteString(",")
		}
		if i%2 == 0 {
			c, _ := fmt.Fprintf(w, `{"id":"m%d","timestamp":"%s","type":"user","content":"%s"}`, i, t, filler)
			written += int64(c)
			continue
		}
		c, _ := fmt.Fprintf(w, `{"id":"m%d","timestamp":"%s","type":"gemini","model":"gemini-2.5-pro","content":"%s","tokens":{"input":%d,"output":300,"cached":1000,"thoughts":50}}`, i, t, filler, 2000+i)
		written += int64(c)
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
