package spend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func seedLines(f *testing.F, glob string) {
	files, _ := filepath.Glob(glob)
	for _, path := range files {
		data, _ := os.ReadFile(path)
		for _, l := range strings.Split(string(data), "\n") {
			f.Add([]byte(l))
		}
	}
}

// FuzzParseClaude: any line is read without panicking, and what is counted
// is never negative.
func FuzzParseClaude(f *testing.F) {
	seedLines(f, "testdata/claude/projects/*/*.jsonl")
	f.Add([]byte(`{"usage":{}}`))
	f.Add([]byte(`{"type":"assistant","timestamp":"2026-12-01T10:00:00Z","message":{"id":"m","model":"x","usage":{"input_tokens":-5,"output_tokens":9}},"requestId":"r"}`))
	seen := dedupe{}
	f.Fuzz(func(t *testing.T, line []byte) {
		e, ok := parseClaude(line, "/p/s.jsonl", seen, time.Time{})
		if ok && (e.Session == "" || e.In < 0 || e.Out < 0 || e.CacheWrite < 0 || e.CacheRead < 0) {
			t.Errorf("an entry without a session or with a negative count: %+v", e)
		}
	})
}

// FuzzParseCodex feeds lines through one state, as a file would.
func FuzzParseCodex(f *testing.F) {
	seedLines(f, "testdata/codex/*/*/*/*.jsonl")
	f.Add([]byte(`{"type":"event_msg","timestamp":"2026-12-01T10:00:00Z","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1}}}}`))
	var st codexState
	f.Fuzz(func(t *testing.T, line []byte) {
		e, ok := parseCodex(line, &st, "/x/rollout.jsonl")
		if ok && (e.In < 0 || e.CacheRead < 0) {
			t.Errorf("negative input: %+v", e)
		}
	})
}

func FuzzParseGemini(f *testing.F) {
	files, _ := filepath.Glob("testdata/gemini/*/chats/*.json")
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Add([]byte(`{"messages":[{"type":"gemini","timestamp":"2026-12-01T10:00:00Z","tokens":{"input":1,"cached":5}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, _ := parseGemini(data, "/g/session-x.json", dedupe{})
		for _, e := range entries {
			if e.In < 0 || e.CacheRead < 0 {
				t.Errorf("negative input: %+v", e)
			}
		}
	})
}

// FuzzParsePrices: a prices.toml either parses or gets positioned errors;
// what parses is a finite price between 0 and MaxPrice.
func FuzzParsePrices(f *testing.F) {
	f.Add([]byte("taken = \"2026-12-02\"\n[models.\"a\"]\ninput = 1\noutput = 2\n"))
	f.Add([]byte("[models]\na = 1\n"))
	for _, v := range []string{"nan", "-nan", "inf", "-inf", "1e308", "1e6", "-0.0", "0x10", "1_000"} {
		f.Add([]byte("[models.\"a\"]\ninput = " + v + "\noutput = 2\ncache_read = " + v + "\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePrices("p.toml", data)
		if err != nil && !strings.Contains(err.Error(), "p.toml") {
			t.Errorf("error without the file's name: %v", err)
		}
		if err == nil {
			for id, pr := range p.Models {
				for _, v := range []float64{pr.In, pr.Out, pr.CacheRead, pr.CacheWrite} {
					if !(v >= 0 && v <= MaxPrice) { // NaN fails both
						t.Errorf("price %v for %q accepted", v, id)
					}
				}
			}
		}
	})
}
