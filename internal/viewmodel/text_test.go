package viewmodel

import (
	"strings"
	"testing"
	"time"
)

func TestEllipsize(t *testing.T) {
	long := strings.Repeat("very long title ", 20)
	for _, tc := range []struct {
		in    string
		cells int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven char", 10, "eleven ch…"},
		{"日本語のタイトル", 9, "日本語の…"},
		{"🚀 launch", 4, "🚀 …"},
		{"a\x1b[2Jb", 20, `a\e[2Jb`},
		{long, 30, long[:29] + "…"},
		{"x", 0, ""},
	} {
		got := Ellipsize(tc.in, tc.cells)
		if got != tc.want {
			t.Errorf("Ellipsize(%q, %d) = %q, want %q", tc.in, tc.cells, got, tc.want)
		}
		if Width(got) > tc.cells {
			t.Errorf("Ellipsize(%q, %d) is %d cells wide", tc.in, tc.cells, Width(got))
		}
	}
}

// Digits have a fixed width, so numbers do not jitter as they tick.
func TestFixedWidthNumbers(t *testing.T) {
	for _, v := range []float64{0, 4.25, 45.5, 99.96, 100, 250.4, 1234} {
		if got := CPUText(&v); len(got) != 6 {
			t.Errorf("CPUText(%v) = %q", v, got)
		}
	}
	if got := CPUText(nil); len(got) != len("   …  ")-2+1 && Width(got) != 6 {
		t.Errorf("CPUText(nil) = %q", got)
	}
	for _, b := range []uint64{0, 1 << 10, 500 << 20, 3 << 30} {
		if got := MemText(&b); len(got) != 9 {
			t.Errorf("MemText(%d) = %q", b, got)
		}
	}
	b := uint64(512 << 20)
	if CompactMem(&b) != "512M" {
		t.Error(CompactMem(&b))
	}
}

func TestProgramIsReadable(t *testing.T) {
	for _, tc := range []struct{ name, cmd, want string }{
		{"bash", "bash", "bash"},
		{"bash", "-bash", "bash"},
		{"claude", "claude --resume", "claude --resume"},
		{"sh", `sh -c 'printf "\033]0;x\007"; sleep 900'`, `sh: printf "\033]0;x\007"; sleep 900`},
		{"sh", `sh -c 'printf '\''\033]0;agent 2\007'\''; sleep 900'`, `sh: printf '\033]0;agent 2\007'; sleep …`},
		{"wezterm-sim", "/tmp/demo/wezterm-sim fake-agent --work 2s", "wezterm-sim fake-agent --work 2s"},
		{"node", "node\x1b[2J server.js", `node\e[2J server.js`},
	} {
		if got := Program(tc.name, tc.cmd, 40); got != tc.want {
			t.Errorf("Program(%q, %q) = %q, want %q", tc.name, tc.cmd, got, tc.want)
		}
	}
}

func TestWaitedAndPaths(t *testing.T) {
	if Waited(42*time.Second) != "42s" || Waited(3*time.Minute+10*time.Second) != "3m" || Waited(65*time.Minute) != "1h05m" {
		t.Error("Waited")
	}
	if ShortPath("/home/a/src/app/web", "/home/a") != "…/app/web" || ShortPath("/home/a/x", "/home/a") != "~/x" {
		t.Errorf("%q %q", ShortPath("/home/a/src/app/web", "/home/a"), ShortPath("/home/a/x", "/home/a"))
	}
}
