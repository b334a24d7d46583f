package spend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
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

// decodeGemini reads a Gemini CLI recording as a stream: the top-level
// sessionId, projectHash and messages, one message at a time, so what it
// holds follows the largest message, not the file (a 60 MB recording
// rewritten every 10 s kept the resident at 160 MiB when read whole). It
// reads what parseGemini reads (FuzzGeminiStream checks), and gives up
// when ctx ends.
func decodeGemini(ctx context.Context, r io.Reader, file string, seen dedupe) ([]Entry, string, bool) {
	dec := json.NewDecoder(r)
	var g geminiFile
	tok, err := dec.Token()
	switch {
	case err != nil:
		return nil, "", false
	case tok == nil: // null: nothing recorded
		return nil, "", trailingSpace(dec)
	case tok != json.Delim('{'):
		return nil, "", false
	}
	for dec.More() {
		if ctx.Err() != nil {
			return nil, "", false
		}
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return nil, "", false
		}
		// Keys match as encoding/json matches them: without case.
		switch {
		case strings.EqualFold(key, "sessionId"):
			err = dec.Decode(&g.SessionID)
		case strings.EqualFold(key, "projectHash"):
			err = dec.Decode(&g.ProjectHash)
		case strings.EqualFold(key, "messages"):
			err = decodeList(ctx, dec, &g.Messages)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, "", false
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') || !trailingSpace(dec) {
		return nil, "", false
	}
	return geminiEntries(&g, file, seen), g.ProjectHash, true
}

// decodeList decodes a JSON array into list one element at a time (null
// leaves it empty), replacing what it held, as encoding/json does.
func decodeList[E any](ctx context.Context, dec *json.Decoder, list *[]E) error {
	*list = (*list)[:0]
	tok, err := dec.Token()
	switch {
	case err != nil:
		return err
	case tok == nil:
		*list = nil
		return nil
	case tok != json.Delim('['):
		return errNotList
	}
	for i := 0; dec.More(); i++ {
		if i%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var e E
		if err := dec.Decode(&e); err != nil {
			return err
		}
		*list = append(*list, e)
	}
	_, err = dec.Token() // ]
	return err
}

var errNotList = errors.New("not a list")

// trailingSpace reports whether nothing but white space follows (what
// encoding/json.Unmarshal demands).
func trailingSpace(dec *json.Decoder) bool {
	_, err := dec.Token()
	return err == io.EOF
}
