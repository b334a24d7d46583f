package spend

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

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
