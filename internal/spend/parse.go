package spend

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// maxLine bounds one JSONL line kept in memory; a longer one (a huge tool
// result) is skipped, not read into memory.
const maxLine = 16 << 20

// dedupe remembers what was counted of each message seen more than once.
// Claude Code writes a streamed message once per content block, with the
// same message id and request id and the usage so far: the message is
// counted once, and growth (more output in a later copy) is added. A
// resumed session copies earlier messages into its new file: they are not
// counted again.
type dedupe map[uint64]counted

type counted struct {
	Tokens
	at int64 // unix seconds of the first copy, for pruning
}

func key(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// count returns what of t is new for message k (first seen at at).
func (d dedupe) count(k uint64, t Tokens, at time.Time) Tokens {
	c, seen := d[k]
	if !seen {
		d[k] = counted{t, at.Unix()}
		return t
	}
	was := c.Tokens
	grow := Tokens{max(t.In-was.In, 0), max(t.Out-was.Out, 0), max(t.CacheWrite-was.CacheWrite, 0), max(t.CacheRead-was.CacheRead, 0)}
	c.Tokens = Tokens{max(t.In, was.In), max(t.Out, was.Out), max(t.CacheWrite, was.CacheWrite), max(t.CacheRead, was.CacheRead)}
	d[k] = c
	return grow
}

// claudeLine is the part of a Claude Code transcript line that matters
// (assistant messages; see docs/spend.md).
type claudeLine struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	SessionID string `json:"sessionId"`
	Cwd       string `json:"cwd"`
	RequestID string `json:"requestId"`
	Message   *struct {
		ID    string `json:"id"`
		Model string `json:"model"`
		Usage *struct {
			Input         int64 `json:"input_tokens"`
			Output        int64 `json:"output_tokens"`
			CacheCreation int64 `json:"cache_creation_input_tokens"`
			CacheRead     int64 `json:"cache_read_input_tokens"`
		} `json:"usage"`
	} `json:"message"`
}

var usageMark = []byte(`"usage"`)

// parseClaude reads one transcript line; ok is false for lines without
// usage (user turns, tool results, summaries) and synthetic messages.
func parseClaude(line []byte, file string, seen dedupe, since time.Time) (Entry, bool) {
	if !bytes.Contains(line, usageMark) {
		return Entry{}, false // most lines: no JSON decoding at all
	}
	var l claudeLine
	if json.Unmarshal(line, &l) != nil || l.Message == nil || l.Message.Usage == nil || l.Message.Model == "<synthetic>" {
		return Entry{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, l.Timestamp)
	if err != nil {
		return Entry{}, false
	}
	if at.Before(since) {
		return Entry{}, false // older than what is kept: not even remembered
	}
	u := l.Message.Usage
	var msg uint64
	// Garbage (a negative count) counts as nothing.
	t := Tokens{In: max(u.Input, 0), Out: max(u.Output, 0), CacheWrite: max(u.CacheCreation, 0), CacheRead: max(u.CacheRead, 0)}
	// Claude Code 2.1 writes no requestId: the message id alone is unique.
	if l.Message.ID != "" {
		msg = key("claude", l.Message.ID, l.RequestID)
		t = seen.count(msg, t, at)
	}
	session := l.SessionID
	if session == "" {
		session = claudeSession(file)
	}
	return Entry{Time: at.UTC(), Source: Claude, Session: session, Cwd: l.Cwd, Model: l.Message.Model, Tokens: t, msg: msg}, true
}

// claudeSession names a transcript's session from its path: the file name,
// or for a sub-agent's file (<session>/subagents/agent-*.jsonl) its parent
// session's folder.
func claudeSession(file string) string {
	dir := filepath.Dir(file)
	if filepath.Base(dir) == "subagents" {
		return filepath.Base(filepath.Dir(dir))
	}
	return strings.TrimSuffix(filepath.Base(file), ".jsonl")
}

// codexState is what a Codex rollout file said before the current line.
type codexState struct {
	session, cwd, model string
	prev                *codexUsage // the last cumulative totals
}

type codexUsage struct {
	Input     int64 `json:"input_tokens"`
	Cached    int64 `json:"cached_input_tokens"`
	Output    int64 `json:"output_tokens"`
	Reasoning int64 `json:"reasoning_output_tokens"`
}

type codexLine struct {
	Timestamp string          `json:"timestamp"`
	Type      string          `json:"type"`
	Payload   json.RawMessage `json:"payload"`
}

type codexPayload struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Cwd   string `json:"cwd"`
	Model string `json:"model"`
	Info  *struct {
		Total *codexUsage `json:"total_token_usage"`
		Last  *codexUsage `json:"last_token_usage"`
		Model string      `json:"model"`
	} `json:"info"`
}

var codexMarks = [][]byte{[]byte(`"token_count"`), []byte(`"session_meta"`), []byte(`"turn_context"`)}

// parseCodex reads one rollout line: session_meta (id, cwd), turn_context
// (model) and token_count events. The per-turn delta is last_token_usage,
// or the growth of total_token_usage; input includes its cached part and
// output includes reasoning (ccusage's reading, apps/codex).
func parseCodex(line []byte, st *codexState, file string) (Entry, bool) {
	hit := false
	for _, m := range codexMarks {
		hit = hit || bytes.Contains(line, m)
	}
	if !hit {
		return Entry{}, false
	}
	var l codexLine
	if json.Unmarshal(line, &l) != nil || len(l.Payload) == 0 {
		return Entry{}, false
	}
	var p codexPayload
	if json.Unmarshal(l.Payload, &p) != nil {
		return Entry{}, false
	}
	switch {
	case l.Type == "session_meta":
		st.session, st.cwd = p.ID, p.Cwd
		return Entry{}, false
	case l.Type == "turn_context":
		if p.Model != "" {
			st.model = p.Model
		}
		if p.Cwd != "" && st.cwd == "" {
			st.cwd = p.Cwd
		}
		return Entry{}, false
	case l.Type != "event_msg" || p.Type != "token_count" || p.Info == nil:
		return Entry{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, l.Timestamp)
	if err != nil {
		return Entry{}, false
	}
	var d codexUsage
	switch {
	case p.Info.Last != nil:
		d = *p.Info.Last
	case p.Info.Total != nil:
		d = *p.Info.Total
		if st.prev != nil {
			d = codexUsage{max(d.Input-st.prev.Input, 0), max(d.Cached-st.prev.Cached, 0), max(d.Output-st.prev.Output, 0), max(d.Reasoning-st.prev.Reasoning, 0)}
		}
	default:
		return Entry{}, false
	}
	if p.Info.Total != nil {
		tot := *p.Info.Total
		st.prev = &tot
	}
	if p.Info.Model != "" {
		st.model = p.Info.Model
	}
	d = codexUsage{max(d.Input, 0), max(d.Cached, 0), max(d.Output, 0), max(d.Reasoning, 0)}
	cached := min(d.Cached, d.Input)
	t := Tokens{In: d.Input - cached, Out: d.Output, CacheRead: cached}
	if t.Zero() {
		return Entry{}, false
	}
	session := st.session
	if session == "" {
		session = strings.TrimSuffix(filepath.Base(file), ".jsonl")
	}
	model := st.model
	if model == "" {
		model = "unknown" // early builds wrote no model: priced as unknown, never guessed
	}
	// Keyed by session, time and totals: a rollout read again from its
	// start (rewritten in place) is not counted twice.
	tot := p.Info.Total
	if tot == nil {
		tot = p.Info.Last
	}
	msg := key("codex", session, l.Timestamp, strconv.FormatInt(tot.Input, 10), strconv.FormatInt(tot.Cached, 10),
		strconv.FormatInt(tot.Output, 10), strconv.FormatInt(tot.Reasoning, 10))
	return Entry{Time: at.UTC(), Source: Codex, Session: session, Cwd: st.cwd, Model: model, Tokens: t, msg: msg}, true
}

// geminiFile is a Gemini CLI chat recording before 0.6x: one JSON
// document, rewritten as the session goes on.
type geminiFile struct {
	SessionID   string          `json:"sessionId"`
	ProjectHash string          `json:"projectHash"`
	Messages    []geminiMessage `json:"messages"`
}

// parseGemini reads a whole recording and returns the messages not seen
// before.
func parseGemini(data []byte, file string, seen dedupe) ([]Entry, string, bool) {
	var g geminiFile
	if json.Unmarshal(data, &g) != nil {
		return nil, "", false
	}
	return geminiEntries(&g, file, seen), g.ProjectHash, true
}

// geminiEntries are a recording's messages not seen before.
func geminiEntries(g *geminiFile, file string, seen dedupe) []Entry {
	session := g.SessionID
	if session == "" {
		session = strings.TrimSuffix(filepath.Base(file), ".json")
	}
	var out []Entry
	for _, m := range g.Messages {
		if e, ok := geminiEntry(m, session, seen); ok {
			out = append(out, e)
		}
	}
	return out
}
