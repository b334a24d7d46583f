package spend

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"time"
)

// Gemini CLI 0.6x records a chat as JSONL (tmp/<project>/chats/
// session-*.jsonl): a header line {"sessionId", "projectHash", …}, then
// each message as a line of its own (written again, whole, when it
// changes) and {"$set": {…}} lines that update the header or replace the
// message list.

// geminiState is what a recording said before the current line.
type geminiState struct {
	session string
	hash    string
}

type geminiMessage struct {
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Model     string `json:"model"`
	Tokens    *struct {
		Input    int64 `json:"input"`
		Output   int64 `json:"output"`
		Cached   int64 `json:"cached"`
		Thoughts int64 `json:"thoughts"`
	} `json:"tokens"`
}

type geminiLine struct {
	SessionID   string `json:"sessionId"`
	ProjectHash string `json:"projectHash"`
	geminiMessage
	Set *struct {
		SessionID   string          `json:"sessionId"`
		ProjectHash string          `json:"projectHash"`
		Messages    []geminiMessage `json:"messages"`
	} `json:"$set"`
}

var geminiMarks = [][]byte{[]byte(`"tokens"`), []byte(`"sessionId"`), []byte(`"projectHash"`)}

// parseGeminiLine reads one line of a JSONL recording.
func parseGeminiLine(line []byte, st *geminiState, file string, seen dedupe) []Entry {
	hit := false
	for _, m := range geminiMarks {
		hit = hit || bytes.Contains(line, m)
	}
	if !hit {
		return nil
	}
	var l geminiLine
	if json.Unmarshal(line, &l) != nil {
		return nil
	}
	msgs := []geminiMessage{l.geminiMessage}
	if l.Set != nil {
		l.SessionID, l.ProjectHash = l.Set.SessionID, l.Set.ProjectHash
		msgs = l.Set.Messages
	}
	if l.SessionID != "" && st.session == "" {
		st.session = l.SessionID
	}
	if l.ProjectHash != "" {
		st.hash = l.ProjectHash
	}
	session := st.session
	if session == "" {
		session = strings.TrimSuffix(filepath.Base(file), ".jsonl")
	}
	var out []Entry
	for _, m := range msgs {
		if e, ok := geminiEntry(m, session, seen); ok {
			out = append(out, e)
		}
	}
	return out
}

// geminiEntry counts one message: input includes its cached part,
// thoughts are billed as output; a message seen again counts only what it
// grew by.
func geminiEntry(m geminiMessage, session string, seen dedupe) (Entry, bool) {
	if m.Type != "gemini" || m.Tokens == nil {
		return Entry{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, m.Timestamp)
	if err != nil {
		return Entry{}, false
	}
	in, cached := max(m.Tokens.Input, 0), max(m.Tokens.Cached, 0)
	cached = min(cached, in)
	t := Tokens{In: in - cached, Out: satAdd(max(m.Tokens.Output, 0), max(m.Tokens.Thoughts, 0)), CacheRead: cached}
	if m.ID != "" {
		t = seen.count(key("gemini", session, m.ID), t, at)
	}
	if t.Zero() {
		return Entry{}, false
	}
	return Entry{Time: at.UTC(), Source: Gemini, Session: session, Model: m.Model, Tokens: t}, true
}

// satAdd adds without wrapping past the largest count.
func satAdd(a, b int64) int64 {
	if a > 0 && b > 0 && a > (1<<63-1)-b {
		return 1<<63 - 1
	}
	return a + b
}
