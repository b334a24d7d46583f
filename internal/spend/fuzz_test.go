package spend

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
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

// FuzzGeminiStream: the streamed decoding of a recording reads what
// decoding it whole reads.
func FuzzGeminiStream(f *testing.F) {
	files, _ := filepath.Glob("testdata/gemini/*/chats/*.json")
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Add([]byte(`null`))
	f.Add([]byte(`{"MESSAGES":[{"type":"gemini","timestamp":"2026-12-01T10:00:00Z","tokens":{"output":3}}],"messages":null}`))
	f.Add([]byte(`{"messages":[1]} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantHash, wantOK := parseGemini(data, "/g/session-x.json", dedupe{})
		got, hash, ok := decodeGemini(context.Background(), bytes.NewReader(data), "/g/session-x.json", dedupe{})
		if ok != wantOK || (ok && (hash != wantHash || !reflect.DeepEqual(got, want))) {
			t.Errorf("streamed: ok %v hash %q %+v; whole: ok %v hash %q %+v", ok, hash, got, wantOK, wantHash, want)
		}
	})
}

// FuzzRecordFiles: whatever a record file holds (lines longer than the
// limit included), and whatever else lies beside it with a record's name
// (a FIFO, a link to /dev/zero, a folder, a dangling link, a loop of
// folders), a poll returns promptly and counts nothing negative.
func FuzzRecordFiles(f *testing.F) {
	seedLines(f, "testdata/claude/projects/*/*.jsonl")
	f.Add([]byte(strings.Repeat("x", 3000) + "\n" + `{"usage":{}}` + "\n" + strings.Repeat("{", 700)))
	f.Add([]byte(strings.Repeat(`{"type":"event_msg","payload":{"type":"token_count"}}`, 30)))
	old := lineLimit
	lineLimit = 512 // long lines with small inputs
	f.Cleanup(func() { lineLimit = old })
	home := f.TempDir()
	roots := Roots{Claude: []string{filepath.Join(home, "claude")}, Codex: filepath.Join(home, "codex"), Gemini: filepath.Join(home, "gemini")}
	proj := filepath.Join(roots.Claude[0], "projects", "-x")
	chats := filepath.Join(roots.Gemini, "h", "chats")
	for _, dir := range []string{proj, roots.Codex, chats} {
		os.MkdirAll(dir, 0o700)
		ext := ".jsonl"
		if dir == chats {
			ext = ".json"
		}
		special(f, filepath.Join(dir, "session-fifo"+ext), filepath.Join(dir, "session-zero"+ext))
		os.Mkdir(filepath.Join(dir, "session-dir"+ext), 0o700)
		os.Symlink(filepath.Join(dir, "none"), filepath.Join(dir, "session-dangling"+ext))
		os.Symlink(dir, filepath.Join(dir, "loop"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []string{filepath.Join(proj, "s.jsonl"), filepath.Join(roots.Codex, "r.jsonl"), filepath.Join(chats, "session-1.json")} {
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		tr := NewTracker(Options{Roots: roots, Prices: Prices{}})
		done := make(chan struct{})
		go func() { tr.Poll(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("a poll did not return within 10 s")
		}
		for _, e := range tr.Entries(nil) {
			if e.In < 0 || e.Out < 0 || e.CacheRead < 0 || e.CacheWrite < 0 {
				t.Errorf("negative count: %+v", e)
			}
		}
	})
}

// FuzzParseGeminiLine feeds JSONL recording lines through one state.
func FuzzParseGeminiLine(f *testing.F) {
	f.Add([]byte(`{"sessionId":"s","projectHash":"h","kind":"main"}`))
	f.Add([]byte(`{"$set":{"messages":[{"id":"m","timestamp":"2026-12-07T09:42:37Z","type":"gemini","tokens":{"input":9,"cached":99,"output":-1,"thoughts":9223372036854775807},"model":"g"}]}}`))
	f.Add([]byte(`{"id":"m","timestamp":"2026-12-07T09:42:37Z","type":"gemini","tokens":{"input":3000,"output":90,"cached":500},"model":"g"}`))
	var st geminiState
	seen := dedupe{}
	f.Fuzz(func(t *testing.T, line []byte) {
		for _, e := range parseGeminiLine(line, &st, "/t/chats/session-x.jsonl", seen) {
			if e.Session == "" || e.In < 0 || e.Out < 0 || e.CacheRead < 0 {
				t.Errorf("bad entry %+v", e)
			}
		}
	})
}

// FuzzParseClaudeCost: whatever a cost-state line says, a figure believed
// is finite, positive and bounded, over tokens that weigh something.
func FuzzParseClaudeCost(f *testing.F) {
	f.Add([]byte(c21Cost))
	f.Add([]byte(`{"type":"cost-state","modelUsage":{"m":{"inputTokens":1,"costUSD":1e308}}}`))
	f.Add([]byte(`{"type":"cost-state","modelUsage":{"m":{"inputTokens":-5,"costUSD":2}}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		cs, ok := parseClaudeCost(line, "/p/s.jsonl")
		if !ok {
			return
		}
		for m, mc := range cs.Models {
			if !(mc.USD > 0 && mc.USD <= maxAgentUSD) || weight(mc.Tokens) <= 0 || cs.Session == "" {
				t.Errorf("%s: believed %+v", m, mc)
			}
		}
	})
}
