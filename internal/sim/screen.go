package sim

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// maxScrollback bounds the lines kept above the screen.
const maxScrollback = 2000

type cell struct {
	r   rune   // 0 = blank; -1 = right half of a wide rune
	sgr string // SGR sequence in force for this cell ("" = default)
}

// screen is a small terminal emulator: enough of VT100/xterm for shells,
// TUIs that redraw with cursor moves, and the OSC sequences WezTerm reads
// (titles, OSC 7 cwd, SetUserVar). Not safe for concurrent use.
type screen struct {
	rows, cols int
	grid       [][]cell
	scrollback [][]cell
	cx, cy     int
	savedX     int
	savedY     int
	sgr        string
	altSaved   [][]cell // main grid while the alternate screen is up

	title          string
	cwdURL         string
	bracketedPaste bool
	cursorHidden   bool
	userVars       map[string]string
	onUserVar      func(name, value string)

	state   int
	seq     []byte // escape sequence being collected
	pending []byte // incomplete UTF-8 rune
}

const (
	stNormal = iota
	stEsc
	stEscCharset
	stCSI
	stOSC
	stOSCEsc
)

func newScreen(cols, rows int) *screen {
	s := &screen{userVars: map[string]string{}}
	s.resize(cols, rows)
	return s
}

func blankLine(cols int) []cell { return make([]cell, cols) }

func (s *screen) resize(cols, rows int) {
	if cols < 1 {
		cols = 1
	}
	if rows < 1 {
		rows = 1
	}
	for len(s.grid) > rows {
		// Shrinking: lines above the cursor go to scrollback first.
		if s.cy > 0 {
			s.pushScrollback(s.grid[0])
			s.grid = s.grid[1:]
			s.cy--
		} else {
			s.grid = s.grid[:len(s.grid)-1]
		}
	}
	for len(s.grid) < rows {
		s.grid = append(s.grid, blankLine(cols))
	}
	for i, l := range s.grid {
		s.grid[i] = fitLine(l, cols)
	}
	s.rows, s.cols = rows, cols
	s.cx = min(s.cx, cols-1)
	s.cy = min(s.cy, rows-1)
}

func fitLine(l []cell, cols int) []cell {
	if len(l) >= cols {
		return l[:cols]
	}
	return append(l, make([]cell, cols-len(l))...)
}

func (s *screen) pushScrollback(l []cell) {
	if s.altSaved != nil {
		return // the alternate screen has no scrollback
	}
	s.scrollback = append(s.scrollback, l)
	if over := len(s.scrollback) - maxScrollback; over > 0 {
		s.scrollback = s.scrollback[over:]
	}
}

func (s *screen) lineFeed() {
	if s.cy < s.rows-1 {
		s.cy++
		return
	}
	s.pushScrollback(s.grid[0])
	copy(s.grid, s.grid[1:])
	s.grid[s.rows-1] = blankLine(s.cols)
}

func (s *screen) put(r rune) {
	w := runewidth.RuneWidth(r)
	if w == 0 {
		return // combining marks are dropped; good enough for text extraction
	}
	if s.cx+w > s.cols {
		s.cx = 0
		s.lineFeed()
	}
	s.grid[s.cy][s.cx] = cell{r: r, sgr: s.sgr}
	if w == 2 && s.cx+1 < s.cols {
		s.grid[s.cy][s.cx+1] = cell{r: -1, sgr: s.sgr}
	}
	s.cx += w
	if s.cx >= s.cols {
		// Pending wrap: stay on the last column until the next rune.
		s.cx = s.cols
	}
}

// Write feeds program output.
func (s *screen) Write(p []byte) (int, error) {
	for _, b := range p {
		s.feed(b)
	}
	return len(p), nil
}

func (s *screen) feed(b byte) {
	switch s.state {
	case stEsc:
		s.escape(b)
		return
	case stEscCharset:
		s.state = stNormal
		return
	case stCSI:
		s.seq = append(s.seq, b)
		if b >= 0x40 && b <= 0x7e {
			s.csi(s.seq)
			s.seq = s.seq[:0]
			s.state = stNormal
		}
		return
	case stOSC:
		switch b {
		case 0x07:
			s.osc(string(s.seq))
			s.seq, s.state = s.seq[:0], stNormal
		case 0x1b:
			s.state = stOSCEsc
		default:
			if len(s.seq) < 1<<16 {
				s.seq = append(s.seq, b)
			}
		}
		return
	case stOSCEsc:
		s.osc(string(s.seq)) // ESC \ (ST), or any ESC ends it
		s.seq, s.state = s.seq[:0], stNormal
		if b != '\\' {
			s.feed(0x1b)
			s.feed(b)
		}
		return
	}
	if len(s.pending) > 0 || b >= 0x80 {
		s.pending = append(s.pending, b)
		if utf8.FullRune(s.pending) {
			r, _ := utf8.DecodeRune(s.pending)
			s.pending = s.pending[:0]
			s.put(r)
		} else if len(s.pending) >= utf8.UTFMax {
			s.pending = s.pending[:0]
			s.put(utf8.RuneError)
		}
		return
	}
	switch b {
	case 0x1b:
		s.state = stEsc
	case '\r':
		s.cx = 0
	case '\n', '\v', '\f':
		s.cx = min(s.cx, s.cols-1)
		s.lineFeed()
	case '\b':
		s.cx = max(0, min(s.cx, s.cols)-1)
	case '\t':
		s.cx = min(s.cols-1, (s.cx/8+1)*8)
	default:
		if b >= 0x20 && b != 0x7f {
			s.put(rune(b))
		}
	}
}

func (s *screen) escape(b byte) {
	s.state = stNormal
	switch b {
	case '[':
		s.state = stCSI
	case ']':
		s.state = stOSC
	case '(', ')', '*', '+', '#', '%':
		s.state = stEscCharset
	case '7':
		s.savedX, s.savedY = s.cx, s.cy
	case '8':
		s.cx, s.cy = s.savedX, s.savedY
	case 'M': // reverse index
		if s.cy > 0 {
			s.cy--
		} else {
			copy(s.grid[1:], s.grid[:s.rows-1])
			s.grid[0] = blankLine(s.cols)
		}
	case 'c':
		*s = *newScreenFrom(s)
	}
}

func newScreenFrom(old *screen) *screen {
	n := newScreen(old.cols, old.rows)
	n.scrollback, n.onUserVar, n.userVars, n.title, n.cwdURL = old.scrollback, old.onUserVar, old.userVars, old.title, old.cwdURL
	return n
}

func csiParams(p string, def int) []int {
	if p == "" {
		return []int{def}
	}
	parts := strings.Split(p, ";")
	out := make([]int, len(parts))
	for i, x := range parts {
		if n, err := strconv.Atoi(x); err == nil {
			out[i] = n
		} else {
			out[i] = def
		}
	}
	return out
}

func (s *screen) csi(seq []byte) {
	final := seq[len(seq)-1]
	body := string(seq[:len(seq)-1])
	private := strings.HasPrefix(body, "?")
	body = strings.TrimLeft(body, "?>=! ")
	ps := csiParams(body, 0)
	n := max(ps[0], 1)
	s.cx = min(s.cx, s.cols-1)
	switch final {
	case 'A':
		s.cy = max(0, s.cy-n)
	case 'B', 'e':
		s.cy = min(s.rows-1, s.cy+n)
	case 'C', 'a':
		s.cx = min(s.cols-1, s.cx+n)
	case 'D':
		s.cx = max(0, s.cx-n)
	case 'E':
		s.cx, s.cy = 0, min(s.rows-1, s.cy+n)
	case 'F':
		s.cx, s.cy = 0, max(0, s.cy-n)
	case 'G', '`':
		s.cx = clamp(n-1, 0, s.cols-1)
	case 'd':
		s.cy = clamp(n-1, 0, s.rows-1)
	case 'H', 'f':
		row, col := 1, 1
		if len(ps) > 0 && ps[0] > 0 {
			row = ps[0]
		}
		if len(ps) > 1 && ps[1] > 0 {
			col = ps[1]
		}
		s.cy, s.cx = clamp(row-1, 0, s.rows-1), clamp(col-1, 0, s.cols-1)
	case 'J':
		switch ps[0] {
		case 0:
			s.clearLine(s.cy, s.cx, s.cols)
			for y := s.cy + 1; y < s.rows; y++ {
				s.grid[y] = blankLine(s.cols)
			}
		case 1:
			for y := 0; y < s.cy; y++ {
				s.grid[y] = blankLine(s.cols)
			}
			s.clearLine(s.cy, 0, s.cx+1)
		case 2, 3:
			for y := range s.grid {
				s.grid[y] = blankLine(s.cols)
			}
			if ps[0] == 3 {
				s.scrollback = nil
			}
		}
	case 'K':
		switch ps[0] {
		case 0:
			s.clearLine(s.cy, s.cx, s.cols)
		case 1:
			s.clearLine(s.cy, 0, s.cx+1)
		case 2:
			s.clearLine(s.cy, 0, s.cols)
		}
	case 'X':
		s.clearLine(s.cy, s.cx, min(s.cols, s.cx+n))
	case 'P':
		l := s.grid[s.cy]
		end := min(s.cols, s.cx+n)
		copy(l[s.cx:], l[end:])
		s.clearLine(s.cy, s.cols-(end-s.cx), s.cols)
	case '@':
		l := s.grid[s.cy]
		k := min(n, s.cols-s.cx)
		copy(l[s.cx+k:], l[s.cx:s.cols-k])
		s.clearLine(s.cy, s.cx, s.cx+k)
	case 'L':
		for i := 0; i < n && s.cy < s.rows; i++ {
			copy(s.grid[s.cy+1:], s.grid[s.cy:s.rows-1])
			s.grid[s.cy] = blankLine(s.cols)
		}
	case 'M':
		for i := 0; i < n; i++ {
			copy(s.grid[s.cy:], s.grid[s.cy+1:])
			s.grid[s.rows-1] = blankLine(s.cols)
		}
	case 'S':
		for i := 0; i < n; i++ {
			s.pushScrollback(s.grid[0])
			copy(s.grid, s.grid[1:])
			s.grid[s.rows-1] = blankLine(s.cols)
		}
	case 'm':
		if body == "" || body == "0" {
			s.sgr = ""
		} else {
			s.sgr = "\x1b[" + body + "m"
		}
	case 's':
		s.savedX, s.savedY = s.cx, s.cy
	case 'u':
		s.cx, s.cy = s.savedX, s.savedY
	case 'h', 'l':
		if private {
			s.mode(ps, final == 'h')
		}
	}
}

func (s *screen) mode(ps []int, on bool) {
	for _, p := range ps {
		switch p {
		case 2004:
			s.bracketedPaste = on
		case 25:
			s.cursorHidden = !on
		case 47, 1047, 1049:
			if on && s.altSaved == nil {
				s.altSaved = s.grid
				s.grid = make([][]cell, s.rows)
				for i := range s.grid {
					s.grid[i] = blankLine(s.cols)
				}
			} else if !on && s.altSaved != nil {
				s.grid = s.altSaved
				s.altSaved = nil
				s.resize(s.cols, s.rows)
			}
		}
	}
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

func (s *screen) clearLine(y, from, to int) {
	l := s.grid[y]
	for x := max(0, from); x < min(to, len(l)); x++ {
		l[x] = cell{}
	}
}

func (s *screen) osc(body string) {
	code, arg, _ := strings.Cut(body, ";")
	switch code {
	case "0", "2":
		s.title = arg
	case "7":
		s.cwdURL = arg
	case "1337":
		kv, ok := strings.CutPrefix(arg, "SetUserVar=")
		if !ok {
			return
		}
		name, enc, _ := strings.Cut(kv, "=")
		val, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return // WezTerm ignores a value that is not base64
		}
		s.userVars[name] = string(val)
		if s.onUserVar != nil {
			s.onUserVar(name, string(val))
		}
	}
}

// cursor returns the cursor position as WezTerm's list reports it.
func (s *screen) cursor() (x, y int) { return min(s.cx, s.cols-1), s.cy }

// lines returns rows start..end (inclusive) where 0 is the top of the
// screen and negative numbers are scrollback, rendered as text with
// trailing blanks trimmed; with escapes, SGR sequences are kept.
func (s *screen) lines(start, end int, escapes bool) []string {
	var out []string
	for y := start; y <= end; y++ {
		var l []cell
		switch {
		case y < 0 && -y <= len(s.scrollback):
			l = s.scrollback[len(s.scrollback)+y]
		case y >= 0 && y < s.rows:
			l = s.grid[y]
		default:
			continue
		}
		out = append(out, renderLine(l, escapes))
	}
	return out
}

func renderLine(l []cell, escapes bool) string {
	var b strings.Builder
	cur := ""
	for _, c := range l {
		if c.r == -1 {
			continue
		}
		if escapes && c.sgr != cur {
			if c.sgr == "" {
				b.WriteString("\x1b[0m")
			} else {
				b.WriteString(c.sgr)
			}
			cur = c.sgr
		}
		if c.r == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteRune(c.r)
		}
	}
	out := strings.TrimRight(b.String(), " ")
	if escapes && cur != "" {
		out += "\x1b[0m"
	}
	return out
}
