package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Limits on what a TOML file may be before it is decoded. A hostile file of
// nested inline tables makes the decoder and the locator slow down
// quadratically and run out of memory long before any check runs; these
// bounds turn it into a positioned error in milliseconds. Real preferences
// and layouts are a few KiB and nest a handful of levels.
const (
	MaxFileSize = 1 << 20 // bytes
	MaxDepth    = 32      // tables, arrays and dotted-key parts inside each other
)

// ReadFile reads a TOML file of ours, refusing (with a Problem naming the
// file) anything that is not a regular file or is larger than MaxFileSize,
// without reading more than that: a project folder may hold a FIFO or a
// symlink to /dev/zero under our file name.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, Problems{{File: path, Pos: Pos{1, 1}, Msg: fmt.Sprintf("not a regular file (%s): not read", st.Mode().Type())}}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(path)
	}
	return data, nil
}

func tooLarge(file string) Problems {
	return Problems{{File: file, Pos: Pos{1, 1}, Msg: fmt.Sprintf("the file is larger than %d KiB: not read", MaxFileSize>>10)}}
}

// IsNotExist reports whether err means the file is not there.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// checkShape refuses files over MaxFileSize or nesting deeper than MaxDepth,
// with the position where the limit was crossed. It scans the text once,
// knowing just enough TOML to skip strings and comments.
func checkShape(file string, data []byte) error {
	if len(data) > MaxFileSize {
		return tooLarge(file)
	}
	s := shapeScanner{src: data, line: 1, col: 1}
	if p, ok := s.scan(); !ok {
		return Problems{{File: file, Pos: p, Msg: fmt.Sprintf("nested more than %d levels deep (tables, arrays and dotted keys): not read", MaxDepth)}}
	}
	return nil
}

type shapeScanner struct {
	src       []byte
	i         int
	line, col int
}

func (s *shapeScanner) pos() Pos { return Pos{s.line, s.col} }

func (s *shapeScanner) next() {
	if s.src[s.i] == '\n' {
		s.line, s.col = s.line+1, 1
	} else if s.src[s.i]&0xC0 != 0x80 {
		s.col++
	}
	s.i++
}

func (s *shapeScanner) has(prefix string) bool {
	return len(s.src)-s.i >= len(prefix) && string(s.src[s.i:s.i+len(prefix)]) == prefix
}

// skipString skips a string of any of the four kinds starting at s.i.
func (s *shapeScanner) skipString() {
	q := s.src[s.i]
	delim := string(q)
	if s.has(delim + delim + delim) {
		delim = delim + delim + delim
	}
	for range len(delim) {
		s.next()
	}
	for s.i < len(s.src) {
		if q == '"' && s.src[s.i] == '\\' {
			s.next()
			if s.i < len(s.src) {
				s.next()
			}
			continue
		}
		if len(delim) == 1 && s.src[s.i] == '\n' {
			return // unterminated: the decoder reports it
		}
		if s.has(delim) {
			for range len(delim) {
				s.next()
			}
			return
		}
		s.next()
	}
}

// scan returns false and the position of the first place nested deeper
// than MaxDepth.
func (s *shapeScanner) scan() (Pos, bool) {
	type level struct {
		array bool
		parts int // dotted-key parts of the key that opened it
	}
	header := 0 // parts of the current [table] header
	var levels []level
	keyParts := 1     // parts of the key being read (0 inside an array)
	lineStart := true // only blanks so far on this line (outside brackets)
	inArray := func() bool { return len(levels) > 0 && levels[len(levels)-1].array }
	// An inline table adds the parts of the key holding it; an array adds
	// one more level for its elements.
	depth := func() int {
		d := header + keyParts
		for _, l := range levels {
			d += l.parts
			if l.array {
				d++
			}
		}
		return d
	}
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.next()
			}
			continue
		case c == '"' || c == '\'':
			s.skipString()
			lineStart = false
			continue
		case c == '\n':
			if len(levels) == 0 {
				lineStart, keyParts = true, 1
			}
		case c == ' ' || c == '\t' || c == '\r':
		case c == '[' && lineStart && len(levels) == 0:
			// A [table] or [[array of tables]] header: count its parts.
			header = 1
			for s.i < len(s.src) && s.src[s.i] != '\n' && s.src[s.i] != ']' {
				switch s.src[s.i] {
				case '"', '\'':
					s.skipString()
					continue
				case '.':
					if header++; header > MaxDepth {
						return s.pos(), false
					}
				}
				s.next()
			}
			lineStart = false
			continue
		case c == '.' && !inArray():
			keyParts++
			if depth() > MaxDepth {
				return s.pos(), false
			}
		case c == '[' || c == '{':
			levels = append(levels, level{array: c == '[', parts: keyParts})
			keyParts = 0
			if c == '{' {
				keyParts = 1
			}
			if depth() > MaxDepth {
				return s.pos(), false
			}
			lineStart = false
		case c == ']' || c == '}':
			if n := len(levels); n > 0 {
				keyParts = levels[n-1].parts
				levels = levels[:n-1]
			}
		case c == ',':
			if !inArray() {
				keyParts = 1 // the next key of an inline table
			}
		case c == '=':
			// A scalar value follows: its dots are not key dots.
			s.next()
			for s.i < len(s.src) && !strings.ContainsRune("\"'[{\n#,]}", rune(s.src[s.i])) {
				s.next()
			}
			lineStart = false
			continue
		default:
			lineStart = false
		}
		s.next()
	}
	return Pos{}, true
}
