package textsafe

import (
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Writer passes text to W with every unsafe character escaped except
// newlines and tabs: the last guard in front of the user's terminal for
// human-readable output, in case a field was printed without Escape. It
// holds back an incomplete UTF-8 sequence at the end of a write until the
// next one completes it.
type Writer struct {
	W io.Writer

	mu      sync.Mutex
	pending []byte
}

// NewWriter returns a Writer in front of w.
func NewWriter(w io.Writer) *Writer { return &Writer{W: w} }

// Write implements io.Writer; it reports len(p) on success.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	buf := p
	if len(w.pending) > 0 {
		buf = append(w.pending, p...)
		w.pending = nil
	}
	// Keep back a trailing sequence that may still be completed.
	cut := len(buf)
	for back := 1; back <= utf8.UTFMax-1 && back <= len(buf); back++ {
		c := buf[len(buf)-back]
		if c < 0x80 {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(buf[len(buf)-back:]) {
				cut = len(buf) - back
			}
			break
		}
	}
	var b strings.Builder
	s := string(buf[:cut])
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == utf8.RuneError && n == 1, unsafeRune(r):
			b.WriteString(Escape(s[i : i+n]))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	if cut < len(buf) {
		w.pending = append([]byte(nil), buf[cut:]...)
	}
	if _, err := io.WriteString(w.W, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a held-back incomplete sequence (escaped: it never completed).
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	s := Escape(string(w.pending))
	w.pending = nil
	_, err := io.WriteString(w.W, s)
	return err
}
