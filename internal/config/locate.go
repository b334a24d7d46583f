package config

import (
	"strconv"
	"strings"
)

// Pos is a 1-based line and column in a file.
type Pos struct{ Line, Col int }

// Locations maps a key path ("tabs.0.panes.1.size": array elements by
// index) to where the key is written. BurntSushi/toml does not expose key
// positions, so Locate scans the text itself; the file is parsed by toml
// first, so Locate may assume it is valid TOML.
type Locations map[string]Pos

// At returns the position of path, or of its nearest located ancestor.
func (l Locations) At(path string) Pos {
	for {
		if p, ok := l[path]; ok {
			return p
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return Pos{Line: 1, Col: 1}
		}
		path = path[:i]
	}
}

type locator struct {
	src       string
	i         int
	line, col int
	out       Locations
	arrays    map[string]int // array-of-tables path -> current index
}

// Locate scans TOML text for key positions.
func Locate(src string) Locations {
	l := &locator{src: src, line: 1, col: 1, out: Locations{}, arrays: map[string]int{}}
	var table []string
	for {
		l.skipSpace(true)
		if l.eof() {
			return l.out
		}
		if l.peek() == '[' {
			table = l.header()
			continue
		}
		l.keyValue(table)
	}
}

func (l *locator) eof() bool  { return l.i >= len(l.src) }
func (l *locator) peek() byte { return l.src[l.i] }

func (l *locator) advance() {
	if l.src[l.i] == '\n' {
		l.line++
		l.col = 1
	} else if l.src[l.i]&0xC0 != 0x80 {
		l.col++
	}
	l.i++
}

func (l *locator) pos() Pos { return Pos{Line: l.line, Col: l.col} }

// skipSpace skips blanks and comments, and newlines too when nl is set.
func (l *locator) skipSpace(nl bool) {
	for !l.eof() {
		switch c := l.peek(); {
		case c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n'):
			l.advance()
		case c == '#':
			for !l.eof() && l.peek() != '\n' {
				l.advance()
			}
		default:
			return
		}
	}
}

// key reads a dotted key; it returns the parts and the position of each.
func (l *locator) key() ([]string, []Pos) {
	var parts []string
	var poss []Pos
	for !l.eof() {
		l.skipSpace(false)
		poss = append(poss, l.pos())
		switch l.peek() {
		case '"', '\'':
			parts = append(parts, l.str())
		default:
			start := l.i
			for !l.eof() && isBare(l.peek()) {
				l.advance()
			}
			parts = append(parts, l.src[start:l.i])
		}
		l.skipSpace(false)
		if l.eof() || l.peek() != '.' {
			break
		}
		l.advance()
	}
	return parts, poss
}

func isBare(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// str reads a string (any of the four kinds) and returns its raw content.
func (l *locator) str() string {
	q := l.peek()
	multi := strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3))
	n := 1
	if multi {
		n = 3
	}
	for range n {
		l.advance()
	}
	start := l.i
	for !l.eof() {
		if q == '"' && l.peek() == '\\' {
			l.advance()
			if !l.eof() {
				l.advance()
			}
			continue
		}
		if l.peek() == q && (!multi || strings.HasPrefix(l.src[l.i:], `"""`) || strings.HasPrefix(l.src[l.i:], `'''`)) {
			end := l.i
			for range n {
				l.advance()
			}
			// A multi-line string may end with up to two extra quotes.
			for multi && !l.eof() && l.peek() == q {
				l.advance()
				end++
			}
			return l.src[start:end]
		}
		l.advance()
	}
	return l.src[start:]
}

// resolve turns a header's key parts into an indexed path, inserting the
// current index of every array of tables along the way.
func (l *locator) resolve(parts []string) []string {
	var path []string
	for _, p := range parts {
		path = append(path, p)
		if idx, ok := l.arrays[strings.Join(path, ".")]; ok {
			path = append(path, strconv.Itoa(idx))
		}
	}
	return path
}

func (l *locator) header() []string {
	p := l.pos()
	l.advance()
	array := !l.eof() && l.peek() == '['
	if array {
		l.advance()
	}
	parts, _ := l.key()
	for !l.eof() && l.peek() != '\n' && l.peek() != '#' {
		l.advance()
	}
	var path []string
	if array {
		parent := l.resolve(parts[:len(parts)-1])
		base := strings.Join(append(parent, parts[len(parts)-1]), ".")
		idx, seen := l.arrays[base]
		if seen {
			idx++
		}
		// Sub-arrays of the new element start again by themselves: their
		// keys hold this element's index (base.N.sub), not seen before.
		l.arrays[base] = idx
		path = append(append(parent, parts[len(parts)-1]), strconv.Itoa(idx))
		l.record(path[:len(path)-1], p)
	} else {
		path = l.resolve(parts)
	}
	l.record(path, p)
	return path
}

func (l *locator) record(path []string, p Pos) {
	k := strings.Join(path, ".")
	if _, ok := l.out[k]; !ok {
		l.out[k] = p
	}
}

func (l *locator) keyValue(table []string) {
	parts, poss := l.key()
	path := append([]string{}, table...)
	for i, p := range parts {
		path = append(path, p)
		l.record(path, poss[i])
	}
	l.skipSpace(false)
	if !l.eof() && l.peek() == '=' {
		l.advance()
	}
	l.skipSpace(false)
	l.value(path)
}

func (l *locator) value(path []string) {
	if l.eof() {
		return
	}
	switch l.peek() {
	case '"', '\'':
		l.str()
	case '{':
		l.advance()
		for {
			l.skipSpace(true)
			if l.eof() {
				return
			}
			if l.peek() == '}' {
				l.advance()
				return
			}
			if l.peek() == ',' {
				l.advance()
				continue
			}
			l.keyValue(path)
		}
	case '[':
		l.advance()
		for idx := 0; ; {
			l.skipSpace(true)
			if l.eof() {
				return
			}
			switch l.peek() {
			case ']':
				l.advance()
				return
			case ',':
				l.advance()
				idx++
				continue
			}
			elem := append(append([]string{}, path...), strconv.Itoa(idx))
			l.record(elem, l.pos())
			l.value(elem)
		}
	default:
		for !l.eof() && !strings.ContainsRune(",]}\n#", rune(l.peek())) {
			l.advance()
		}
	}
}
