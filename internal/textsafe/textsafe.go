// Package textsafe shows text that came from files and panes without letting
// it act on the user's terminal or hide what it says: control characters,
// bidirectional overrides and invalid bytes become visible escapes. Escape is
// for display (titles, cwds, names); Quote and Join are for argv shown in
// prompts, where every item must read back unambiguously.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// unsafeRune reports whether r must not reach a terminal as it is: C0 and
// C1 controls, DEL, and the invisible characters that reorder or hide text
// ("Trojan Source": bidi embeddings, overrides and isolates, line and
// paragraph separators).
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// escapeRune writes r's visible form.
func escapeRune(b *strings.Builder, r rune) {
	switch r {
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	case 0x1b:
		b.WriteString(`\e`)
	default:
		if r < 0x80 {
			fmt.Fprintf(b, `\x%02x`, r)
		} else {
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
}

// IsClean reports whether s needs no escaping.
func IsClean(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return false
			}
		}
		if unsafeRune(r) {
			return false
		}
	}
	return true
}

// Escape returns s with every unsafe character shown as an escape (\e, \r,
// \n, \t, \xNN, \uNNNN) and every invalid byte as \xNN. Printable text,
// backslashes included, is left alone so paths stay readable.
func Escape(s string) string {
	if IsClean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			escapeRune(&b, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// EscapeKeepNewlines is Escape for multi-line text shown as lines (a pane's
// screen, a file's problems): newlines stay, every other unsafe character is
// escaped.
func EscapeKeepNewlines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(l)
	}
	return strings.Join(lines, "\n")
}

// safeBare are the bytes an argv item may consist of to be shown unquoted.
func safeBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-_./:=,+@%^", c) >= 0
}

// Quote shows one argv item so that it reads back exactly, as a POSIX
// shell would take it: bare when it is only safe characters, in single
// quotes when it is printable, and in ANSI-C quotes ($'…') with escapes when
// it holds anything unsafe, so nothing in it can move the cursor or hide
// the rest of the line.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	bare := true
	for i := 0; i < len(s); i++ {
		if !safeBare(s[i]) {
			bare = false
			break
		}
	}
	if bare {
		return s
	}
	if IsClean(s) {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case unsafeRune(r):
			escapeRune(&b, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	b.WriteByte('\'')
	return b.String()
}

// Join quotes each argv item and joins them with spaces.
func Join(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = Quote(a)
	}
	return strings.Join(out, " ")
}
