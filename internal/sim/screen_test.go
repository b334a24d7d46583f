package sim

import (
	"strings"
	"testing"
)

func TestScreen(t *testing.T) {
	tests := []struct {
		name  string
		cols  int
		rows  int
		input string
		want  []string // the screen, trailing blank lines dropped
	}{
		{"plain lines", 20, 4, "a\r\nb\r\n", []string{"a", "b"}},
		{"carriage return overwrites", 20, 3, "hello\rJ", []string{"Jello"}},
		{"wrap", 4, 3, "abcdef", []string{"abcd", "ef"}},
		{"scroll", 10, 2, "1\r\n2\r\n3", []string{"2", "3"}},
		{"erase line", 10, 2, "abcdef\r\x1b[3C\x1b[K", []string{"abc"}},
		{"cursor position", 10, 3, "\x1b[2;3Hx\x1b[1;1Hy", []string{"y", "  x"}},
		{"clear screen", 10, 3, "junk\r\nmore\x1b[2J\x1b[Hnew", []string{"new"}},
		{"sgr is not text", 10, 2, "\x1b[1;31mred\x1b[0m!", []string{"red!"}},
		{"backspace", 10, 2, "ab\bc", []string{"ac"}},
		{"wide runes", 6, 2, "日本x", []string{"日本x"}},
		{"utf8 split across writes", 10, 2, "é\xe2\x9c", []string{"é"}},
		{"delete chars", 10, 2, "abcdef\r\x1b[2P", []string{"cdef"}},
		{"alternate screen restores", 10, 2, "main\x1b[?1049hTUI\x1b[?1049l", []string{"main"}},
		{"osc is not text", 10, 2, "\x1b]0;title\x07x\x1b]7;file:///tmp\x1b\\y", []string{"xy"}},
		{"tab", 20, 2, "a\tb", []string{"a       b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScreen(tt.cols, tt.rows)
			s.Write([]byte(tt.input))
			got := s.lines(0, s.rows-1, false)
			for len(got) > 0 && got[len(got)-1] == "" {
				got = got[:len(got)-1]
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("screen = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestScreenState(t *testing.T) {
	s := newScreen(20, 3)
	var vars []string
	s.onUserVar = func(n, v string) { vars = append(vars, n+"="+v) }
	s.Write([]byte("\x1b]0;⠂ Claude Code\x07\x1b]7;file://host/home/a%20b/\x07\x1b[?2004h\x1b[?25l"))
	s.Write([]byte("\x1b]1337;SetUserVar=switch_workspace=YWdlbnRz\x07\x1b]1337;SetUserVar=bad=!!!\x07"))
	if s.title != "⠂ Claude Code" || s.cwdURL != "file://host/home/a%20b/" || !s.bracketedPaste || !s.cursorHidden {
		t.Errorf("state = title %q cwd %q paste %v hidden %v", s.title, s.cwdURL, s.bracketedPaste, s.cursorHidden)
	}
	if strings.Join(vars, ",") != "switch_workspace=agents" {
		t.Errorf("user vars = %v", vars)
	}
}

func TestScreenScrollbackAndEscapes(t *testing.T) {
	s := newScreen(10, 2)
	s.Write([]byte("l1\r\nl2\r\nl3\r\n\x1b[32mgo\x1b[0m"))
	if got := s.lines(-2, 1, false); strings.Join(got, "|") != "l1|l2|l3|go" {
		t.Errorf("lines(-2,1) = %q", got)
	}
	if got := s.lines(1, 1, true); !strings.HasPrefix(got[0], "\x1b[32mgo\x1b[") || !strings.HasSuffix(got[0], "m") {
		t.Errorf("escapes = %q", got)
	}
	s.resize(5, 1)
	if got := s.lines(0, 0, false); got[0] != "go" {
		t.Errorf("after shrink = %q", got)
	}
}

func FuzzScreen(f *testing.F) {
	f.Add([]byte("a\x1b[2;3H\x1b[?1049h\x1b]0;t\x07\xe2\x9c"), 10, 3)
	f.Fuzz(func(t *testing.T, data []byte, cols, rows int) {
		s := newScreen(cols%300, rows%100)
		s.Write(data)
		s.resize(cols%7, rows%5)
		s.Write(data)
		_ = s.lines(-5, s.rows, true)
	})
}

// TestScreenOSC: titles and folders as WezTerm keeps them, whatever the
// bytes (UTF-8 holding 0x9c, a ';' in the title) and however the program's
// writes split the sequence.
func TestScreenOSC(t *testing.T) {
	tests := []struct {
		name, input      string
		title, cwd, text string
	}{
		{"utf-8 title", "\x1b]0;✳ Claude Code\x07", "✳ Claude Code", "", ""},
		{"spinner title", "\x1b]2;◐ Claude Code\x1b\\x", "◐ Claude Code", "", "x"},
		{"semicolon", "\x1b]0;a;b\x07", "a;b", "", ""},
		{"osc 7 host kept", "\x1b]7;file://Build-Box/home/u/proj\x07", "", "file://build-box/home/u/proj", ""},
		{"osc 7 localhost", "\x1b]7;file://localhost/tmp/a b\x07", "", "file:///tmp/a%20b", ""},
		{"osc 7 bare path resets", "\x1b]7;file:///x\x07\x1b]7;/bare/path\x07", "", "", ""},
		{"esc esc", "\x1b\x1b]0;t\x07z", "t", "", "z"},
		{"csi after osc", "\x1b]0;t\x1b\\\x1b[1mB\x1b[0m", "t", "", "B"},
	}
	for _, tt := range tests {
		for _, step := range []int{0, 1, 2, 3} {
			s := newScreen(30, 2)
			b := []byte(tt.input)
			if step == 0 {
				s.Write(b)
			} else {
				for i := 0; i < len(b); i += step {
					s.Write(b[i:min(i+step, len(b))])
				}
			}
			if s.title != tt.title || s.cwdURL != tt.cwd {
				t.Errorf("%s (writes of %d): title %q cwd %q, want %q %q", tt.name, step, s.title, s.cwdURL, tt.title, tt.cwd)
			}
			if got := s.lines(0, 0, false)[0]; got != tt.text {
				t.Errorf("%s (writes of %d): text %q, want %q", tt.name, step, got, tt.text)
			}
		}
	}
}
