package textsafe

import (
	"bytes"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain title", "plain title"},
		{`C:\Users\me`, `C:\Users\me`},
		{"日本語 ✓ 🚀", "日本語 ✓ 🚀"},
		{"a\x1b[2Jb", `a\e[2Jb`},
		{"bell\x07", `bell\x07`},
		{"two\nlines\r\tx", `two\nlines\r\tx`},
		{"c1\u009b31m", `c1\u009b31m`},
		{"del\x7f", `del\x7f`},
		{"bidi \u202eexe.txt", `bidi \u202eexe.txt`},
		{"bad \xff byte", `bad \xff byte`},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeKeepNewlines(t *testing.T) {
	if got := EscapeKeepNewlines("a\x1b]0;x\x07\nb\r"); got != "a\\e]0;x\\x07\nb\\r" {
		t.Errorf("got %q", got)
	}
}

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "''"},
		{"npm", "npm"},
		{"--port=3000", "--port=3000"},
		{"/usr/bin/env", "/usr/bin/env"},
		{"two words", "'two words'"},
		{"it's", `'it'\''s'`},
		{"$HOME", "'$HOME'"},
		{"echo safe\rrm -rf ~", `$'echo safe\rrm -rf ~'`},
		{"a\x1b[8mhidden", `$'a\e[8mhidden'`},
		{"back\\slash\x07'q'", `$'back\\slash\x07\'q\''`},
		{"\u202e", `$'\u202e'`},
	} {
		if got := Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := Join([]string{"sh", "-c", "echo hi"}); got != "sh -c 'echo hi'" {
		t.Errorf("Join: %s", got)
	}
}

// No output of Quote or Escape contains a byte a terminal acts on.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "a b", "\x1b[2J", "\r\n", "\u009b", "\xff\xfe", "'\\'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Quote(s), Escape(s), EscapeKeepNewlines(s)} {
			for _, r := range out {
				if r != '\n' && unsafeRune(r) {
					t.Fatalf("%q -> %q keeps %U", s, out, r)
				}
			}
		}
		if strings.Contains(Quote(s), "\n") {
			t.Fatalf("Quote(%q) spans lines", s)
		}
	})
}

func TestWriter(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	// A C1 CSI (U+009B = C2 9B) split across two writes is still caught.
	for _, chunk := range []string{"title \x1b[31mred\x1b[0m\n", "x\xc2", "\x9b2J end\t.\n", "日本"[:4], "日本"[4:], "\n"} {
		if n, err := w.Write([]byte(chunk)); err != nil || n != len(chunk) {
			t.Fatalf("write %q: %d %v", chunk, n, err)
		}
	}
	w.Flush()
	want := "title \\e[31mred\\e[0m\nx\\u009b2J end\t.\n日本\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
}
