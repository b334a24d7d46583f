package spend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Claude Code 2.1.328's transcript, in the shapes seen on 2026-12-07: new
// entry types around the messages; a message streamed as one line per
// content block with the same id and no requestId; at exit two copies of
// its cost-state. The figures are what the fake model API reported and
// what Claude Code computed (opus-5-5 at 4/20/5/0.20 $ per Mtok).
const (
	c21Queue   = `{"type":"queue-operation","operation":"enqueue","timestamp":"2026-12-07T09:30:20.000Z","sessionId":"s21"}`
	c21Attach  = `{"parentUuid":"u1","isSidechain":false,"attachment":{"type":"todo"},"type":"attachment","uuid":"a1","timestamp":"2026-12-07T09:30:20.100Z","userType":"external","cwd":"/tmp/p","sessionId":"s21"}`
	c21Shape   = `{"type":"api-request-shape","sessionId":"s21","shapeHash":"h","timestamp":"2026-12-07T09:30:20.200Z","version":"2.1.328","shape":{"usage":{}}}`
	c21Text    = `{"parentUuid":"u1","type":"assistant","uuid":"m1a","timestamp":"2026-12-07T09:30:26.000Z","cwd":"/tmp/p","sessionId":"s21","message":{"id":"msg_fake000003","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"text","text":"I will run a command."}],"usage":{"input_tokens":1200,"cache_creation_input_tokens":500,"cache_read_input_tokens":300,"output_tokens":80,"output_tokens_details":{"thinking_tokens":0},"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},"speed":"standard"}}}`
	c21Tool    = `{"parentUuid":"m1a","type":"assistant","uuid":"m1b","timestamp":"2026-12-07T09:30:26.010Z","cwd":"/tmp/p","sessionId":"s21","message":{"id":"msg_fake000003","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"tool_use","id":"t","name":"Bash","input":{}}],"usage":{"input_tokens":1200,"cache_creation_input_tokens":500,"cache_read_input_tokens":300,"output_tokens":80}}}`
	c21Second  = `{"parentUuid":"m1b","type":"assistant","uuid":"m2","timestamp":"2026-12-07T09:30:33.000Z","cwd":"/tmp/p","sessionId":"s21","message":{"id":"msg_fake000005","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"text","text":"Done."}],"usage":{"input_tokens":1500,"cache_creation_input_tokens":0,"cache_read_input_tokens":800,"output_tokens":40}}}`
	c21Last    = `{"type":"last-prompt","lastPrompt":"please run the hello command","leafUuid":"m2","sessionId":"s21"}`
	c21Cost    = `{"type":"cost-state","sessionId":"s21","totalCostUSD":0.01592,"totalAPIDuration":9000,"modelUsage":{"claude-opus-5-5":{"inputTokens":2700,"outputTokens":120,"thinkingTokens":0,"cacheReadInputTokens":1100,"cacheCreationInputTokens":500,"costUSD":0.01592}},"hasUnknownModelCost":false}`
	c21Blob    = `{"type":"api-request-blob","sessionId":"s21","hash":"x","message":{"role":"user","content":"usage of \"usage\" in text"}}`
	c21Project = "projects/-tmp-p/s21.jsonl"
)

func TestClaude21Transcript(t *testing.T) {
	dir := t.TempDir()
	writeLines(t, filepath.Join(dir, c21Project), c21Queue, c21Attach, c21Shape, c21Blob, c21Text, c21Tool, c21Second, c21Last)
	// The table's price for opus-5-5 is the same as Claude Code's: the
	// totals agree before and after its own figure arrives.
	tr := NewTracker(Options{Roots: Roots{Claude: []string{dir}}, Prices: bundled(t)})
	tr.Poll()
	sum := func() Sum {
		var s Sum
		for _, e := range tr.Entries(nil) {
			s.AddEntry(tr.Prices(), e)
		}
		return s
	}
	got := sum()
	if want := (Tokens{In: 2700, Out: 120, CacheWrite: 500, CacheRead: 1100}); got.Tokens != want || got.Entries != 2 {
		t.Fatalf("tokens %+v in %d entries, want %+v in 2 (one per message, no requestId)", got.Tokens, got.Entries, want)
	}
	if !got.Known() || !near(got.USD, 0.01592) {
		t.Errorf("priced from the table: $%v known %v, want $0.01592", got.USD, got.Known())
	}
	// Claude Code's figure arrives (twice, as at exit): it wins, and
	// nothing is counted twice.
	f, _ := os.OpenFile(filepath.Join(dir, c21Project), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(c21Cost + "\n" + c21Cost + "\n")
	f.Close()
	tr.scanned = time.Time{}
	tr.Poll()
	if got := sum(); got.Tokens.Total() != 4420 || !near(got.USD, 0.01592) {
		t.Errorf("after cost-state: %+v", got)
	}
}

// A model our table does not know is priced by the agent's own figure:
// in its session exactly, in its other sessions at the same rate; never $0.
func TestAgentCostPricesUnknownModels(t *testing.T) {
	dir := t.TempDir()
	mystery := func(s string) string { return strings.ReplaceAll(s, "claude-opus-5-5", "claude-fable-9") }
	writeLines(t, filepath.Join(dir, "projects/-tmp-p/s21.jsonl"), mystery(c21Text), mystery(c21Second))
	other := strings.ReplaceAll(mystery(c21Second), `"s21"`, `"s22"`)
	other = strings.ReplaceAll(other, "msg_fake000005", "msg_other")
	writeLines(t, filepath.Join(dir, "projects/-tmp-q/s22.jsonl"), other)
	tr := NewTracker(Options{Roots: Roots{Claude: []string{dir}}, Prices: bundled(t)})
	tr.Poll()
	for _, e := range tr.Entries(nil) {
		var s Sum
		s.AddEntry(tr.Prices(), e)
		if s.Known() {
			t.Fatalf("an unknown model was priced before any figure: %+v", s)
		}
	}
	f, _ := os.OpenFile(filepath.Join(dir, "projects/-tmp-p/s21.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(mystery(c21Cost) + "\n")
	f.Close()
	tr.scanned = time.Time{}
	tr.Poll()
	by := map[string]Sum{}
	for _, e := range tr.Entries(nil) {
		s := by[e.Session]
		s.AddEntry(tr.Prices(), e)
		by[e.Session] = s
	}
	if s := by["s21"]; !s.Known() || !near(s.USD, 0.01592) {
		t.Errorf("its own session: %+v, want $0.01592", s)
	}
	// s22: one call like s21's second, at s21's rate.
	rate := 0.01592 / weight(Tokens{In: 2700, Out: 120, CacheWrite: 500, CacheRead: 1100})
	if s := by["s22"]; !s.Known() || !near(s.USD, rate*weight(Tokens{In: 1500, Out: 40, CacheRead: 800})) {
		t.Errorf("another session of the model: %+v", s)
	}
}

// Gemini CLI 0.61's JSONL recording: a header, the message list in a
// $set, messages as lines (written again when they change) and $set
// updates. Input counts its cached part; a message written twice counts
// once.
func TestGeminiJSONL(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "tmp", "proj", "chats", "session-2026-12-07T09-42-247988da.jsonl")
	writeLines(t, rec,
		`{"sessionId":"247988da-46d0","projectHash":"23471c39","startTime":"2026-12-07T09:42:20.914Z","lastUpdated":"2026-12-07T09:42:20.914Z","kind":"main"}`,
		`{"$set":{"messages":[{"id":"u0","timestamp":"2026-12-07T09:42:20.914Z","type":"user","content":[{"text":"hi"}]}],"lastUpdated":"2026-12-07T09:42:20.914Z"}}`,
		`{"id":"c020b15d","timestamp":"2026-12-07T09:42:31.000Z","type":"user","content":[{"text":"please create the file"}]}`,
		`{"$set":{"lastUpdated":"2026-12-07T09:42:31.000Z"}}`,
		`{"id":"523b4400","timestamp":"2026-12-07T09:42:37.311Z","type":"gemini","content":"I will create a file.","thoughts":[],"tokens":{"input":3000,"output":90,"cached":500,"thoughts":0,"tool":0,"total":3090},"model":"gemini-3.8-flash"}`,
		`{"$set":{"lastUpdated":"2026-12-07T09:42:37.311Z"}}`,
		`{"id":"523b4400","timestamp":"2026-12-07T09:42:37.311Z","type":"gemini","content":"I will create a file.","thoughts":[],"tokens":{"input":3000,"output":90,"cached":500,"thoughts":0,"tool":0,"total":3090},"model":"gemini-3.8-flash","toolCalls":[{"id":"x"}]}`,
		`{"id":"5b9e5a26","timestamp":"2026-12-07T09:42:48.585Z","type":"gemini","content":"Created the file.","thoughts":[],"tokens":{"input":4200,"output":30,"cached":1500,"thoughts":0,"tool":0,"total":4230},"model":"gemini-3.8-flash"}`,
	)
	tr := NewTracker(Options{Roots: Roots{Gemini: filepath.Join(dir, "tmp")}, Prices: bundled(t)})
	tr.Poll()
	var s Sum
	for _, e := range tr.Entries(nil) {
		s.AddEntry(tr.Prices(), e)
	}
	want := Tokens{In: 2500 + 2700, Out: 120, CacheRead: 2000}
	if s.Tokens != want || s.Entries != 2 || !s.Known() {
		t.Fatalf("%+v, want %+v in 2 entries, priced", s, want)
	}
	ss := tr.Sessions(time.Time{})
	if len(ss) != 1 || ss[0].ID != "247988da-46d0" || ss[0].Gemini != "23471c39" {
		t.Errorf("session %+v (its id and project hash come from the header)", ss)
	}
}

// Two agents in one folder, both working: the folders cannot tell their
// sessions apart, the session ids they keep of themselves can.
func TestMatchBySessionTheAgentNamed(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	busy := []Span{{Start: t0}}
	agents := []Agent{
		{Pane: 1, Source: Claude, PID: 10, Start: t0, Cwd: "/w", Working: busy, Session: "s-one"},
		{Pane: 2, Source: Claude, PID: 20, Start: t0, Cwd: "/w", Working: busy, Session: "s-two"},
	}
	mk := func(id string) *Session {
		return &Session{Source: Claude, ID: id, Cwd: "/w", First: t0.Add(time.Minute), Last: t0.Add(time.Minute),
			Entries: []Entry{{Time: t0.Add(time.Minute), Source: Claude, Session: id, Model: "m", Tokens: Tokens{In: 1}}}}
	}
	got := Match([]*Session{mk("s-two"), mk("s-one"), mk("s-three")}, agents)
	if len(got[1]) != 1 || got[1][0].ID != "s-one" || len(got[2]) != 1 || got[2][0].ID != "s-two" {
		t.Errorf("matched %v", got)
	}
	// Without the ids the rule stays as it was: neither agent can be
	// told apart, nothing is tied to a wrong pane.
	agents[0].Session, agents[1].Session = "", ""
	if got := Match([]*Session{mk("s-one")}, agents); len(got) != 0 {
		t.Errorf("without ids: %v", got)
	}
}
