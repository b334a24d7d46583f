package viewmodel

import (
	"fmt"
	"github.com/wezterm-parallel/wezterm-parallel/internal/status"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// Ellipsize cuts s to at most cells terminal cells (CJK and most emoji
// take two), ending in "…" when it was cut. s is escaped first: text from
// panes never reaches a widget raw.
func Ellipsize(s string, cells int) string {
	s = textsafe.Escape(s)
	if cells <= 0 {
		return ""
	}
	if runewidth.StringWidth(s) <= cells {
		return s
	}
	return runewidth.Truncate(s, cells, "…")
}

// Width is s's width in terminal cells.
func Width(s string) int { return runewidth.StringWidth(s) }

// CPUText is a CPU figure in a fixed width of 6 ("  4.2%", "123.0%"),
// "   …  " while the first sample is being taken.
func CPUText(p *float64) string {
	if p == nil {
		return "   …  "
	}
	v := *p
	if v >= 99.95 {
		return fmt.Sprintf("%5.0f%%", v)
	}
	return fmt.Sprintf("%5.1f%%", v)
}

// MemText is a byte count in a fixed width of 9 (" 512.0 MiB").
func MemText(b *uint64) string {
	if b == nil {
		return fmt.Sprintf("%9s", "…")
	}
	return fmt.Sprintf("%9s", metrics.HumanBytes(*b))
}

// CompactMem is a byte count in at most 5 cells ("512M", "1.2G").
func CompactMem(b *uint64) string {
	if b == nil {
		return "…"
	}
	v := float64(*b)
	switch {
	case v >= 1<<30:
		return fmt.Sprintf("%.1fG", v/(1<<30))
	case v >= 1<<20:
		return fmt.Sprintf("%.0fM", v/(1<<20))
	}
	return fmt.Sprintf("%.0fK", v/(1<<10))
}

// CompactCPU is a CPU figure in at most 4 cells ("12%", "250%").
func CompactCPU(p *float64) string {
	if p == nil {
		return "…"
	}
	return fmt.Sprintf("%.0f%%", *p)
}

// Waited says how long something has waited, coarsely ("12s", "3m",
// "1h05m").
func Waited(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// ShortPath keeps the last two parts of a path ("…/src/app"), with the home
// folder as "~".
func ShortPath(p, home string) string {
	if p == "" {
		return ""
	}
	if home != "" && (p == home || strings.HasPrefix(p, home+"/")) {
		p = "~" + p[len(home):]
	}
	parts := strings.Split(filepath.ToSlash(p), "/")
	if len(parts) > 3 {
		return "…/" + strings.Join(parts[len(parts)-2:], "/")
	}
	return p
}

// shells are programs shown by name alone: their command line is noise.
var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "fish": true, "dash": true, "ksh": true, "nu": true}

// Program is what runs in a pane, readably: a shell by its name; a program
// by its command line with the program's folder left out; an inline script
// (sh -c '…') as the script's first line rather than quoted source; at most
// cells wide.
func Program(name, cmdline string, cells int) string {
	argv := SplitCommand(cmdline)
	if len(argv) == 0 {
		return Ellipsize(name, cells)
	}
	argv[0] = filepath.Base(argv[0])
	if shells[strings.TrimPrefix(argv[0], "-")] && len(argv) == 1 {
		return Ellipsize(strings.TrimPrefix(argv[0], "-"), cells)
	}
	if len(argv) >= 3 && shells[argv[0]] && argv[1] == "-c" {
		script := strings.TrimSpace(strings.SplitN(argv[2], "\n", 2)[0])
		return Ellipsize(argv[0]+": "+script, cells)
	}
	return Ellipsize(strings.Join(argv, " "), cells)
}

// SplitCommand splits a command line the way the metrics package joined it
// (words; single quotes, with '\” for a quote inside). Anything it cannot
// read is one word per space.
func SplitCommand(s string) []string {
	var out []string
	var cur strings.Builder
	in, word := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case in && c == '\'':
			in = false
		case in:
			cur.WriteByte(c)
		case c == '\'':
			in, word = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			word = true
		case c == ' ' || c == '\t':
			if word {
				out = append(out, cur.String())
				cur.Reset()
				word = false
			}
		default:
			cur.WriteByte(c)
			word = true
		}
	}
	if word {
		out = append(out, cur.String())
	}
	return out
}

// WorkspaceName shows a workspace's name; a workspace can be named ""
// (`--workspace ""`), which is not "default" and must not look blank.
func WorkspaceName(name string) string {
	if name == "" {
		return `""`
	}
	return name
}

// Plural is status.Plural.
func Plural(n int, word string) string { return status.Plural(n, word) }
