package sim

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync/atomic"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// titleSeq orders window-title changes: set-window-title and the OSC 0/2
// titles of a window's panes all set the mux window's title, the latest
// wins (mux/src/localpane.rs: Alert::WindowTitleChanged → window.set_title).
var titleSeq atomic.Uint64

// maxScrollback bounds the lines kept above the screen.
const maxScrollback = 2000

// screen is a pane's terminal: a maintained emulator
// (github.com/charmbracelet/x/vt: xterm with the alternate screen,
// scrolling regions, wide and combined characters, synchronized output)
// so that the real agents' TUIs (Ink, ratatui) read as they do in
// WezTerm, plus what WezTerm itself keeps of the OSC sequences a pane
// sends: the title, the OSC 7 folder as a URL and SetUserVar. Not safe for
// concurrent use; replies the emulator owes the program (cursor position,
// device attributes) come out of Replies.
type screen struct {
	emu        *vt.Emulator
	rows, cols int

	title          string
	winTitleSeq    uint64 // when an OSC 0/2 last set the window's title
	cwdURL         string
	bracketedPaste bool
	cursorHidden   bool
	userVars       map[string]string
	onUserVar      func(name, value string)

	// OSC sequences are taken out of the stream before the emulator sees
	// it: its parser ends a string at any byte 0x9c (C1 ST), which is
	// inside many UTF-8 characters ("✳" is e2 9c b3), where WezTerm reads
	// the whole title.
	oscState int
	osc      []byte
}

const (
	oscNone = iota
	oscEsc  // saw ESC, not yet passed on
	oscIn   // inside ESC ] …
	oscInEsc
)

// maxOSC bounds an OSC sequence kept (WezTerm's parser has a limit too).
const maxOSC = 1 << 16

func newScreen(cols, rows int) *screen {
	cols, rows = max(cols, 1), max(rows, 1)
	s := &screen{emu: vt.NewEmulator(cols, rows), rows: rows, cols: cols, userVars: map[string]string{}}
	s.emu.SetScrollbackSize(maxScrollback)
	s.emu.SetCallbacks(vt.Callbacks{
		CursorVisibility: func(visible bool) { s.cursorHidden = !visible },
		EnableMode: func(m ansi.Mode) {
			if m == ansi.ModeBracketedPaste {
				s.bracketedPaste = true
			}
		},
		DisableMode: func(m ansi.Mode) {
			if m == ansi.ModeBracketedPaste {
				s.bracketedPaste = false
			}
		},
	})
	return s
}

// osc7 is what WezTerm keeps of an OSC 7 value: Url::parse(value).ok()
// (term/src/terminalstate/performer.rs), printed as the url crate does —
// host lower-cased, "localhost" dropped from file URLs, the path
// percent-encoded. A value that is not an absolute URL (a bare path)
// resets it to none, so the folder falls back to the process's.
func osc7(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if u.Scheme == "file" && u.Host == "localhost" {
		u.Host = ""
	}
	if u.Scheme == "file" && u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

func (s *screen) setUserVar(arg string) {
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

// Write feeds program output.
func (s *screen) Write(p []byte) (int, error) {
	start := 0 // p[start:i] is passed on to the emulator
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch s.oscState {
		case oscNone:
			if b == 0x1b {
				s.emu.Write(p[start:i])
				s.oscState, start = oscEsc, i+1
			}
		case oscEsc:
			s.oscState = oscNone
			if b == ']' {
				s.oscState, s.osc, start = oscIn, s.osc[:0], i+1
				continue
			}
			if b == 0x1b {
				// A second ESC cancels the first, as in any VT parser.
				s.oscState, start = oscEsc, i+1
				continue
			}
			s.emu.Write([]byte{0x1b})
			start = i
		case oscIn:
			switch b {
			case 0x07:
				s.oscDone()
				s.oscState, start = oscNone, i+1
			case 0x1b:
				s.oscState = oscInEsc
			default:
				if len(s.osc) < maxOSC {
					s.osc = append(s.osc, b)
				}
			}
		case oscInEsc:
			// ESC \ (ST) ends the string; so does any other escape.
			s.oscDone()
			s.oscState, start = oscNone, i+1
			if b != '\\' {
				s.oscState, start = oscEsc, i
				i-- // read b again after the ESC
			}
		}
	}
	if s.oscState == oscNone && start < len(p) {
		s.emu.Write(p[start:])
	}
	return len(p), nil
}

// oscDone acts on one OSC sequence as WezTerm does; others that the
// emulator answers (colour queries) go on to it when they are plain ASCII.
func (s *screen) oscDone() {
	body := string(s.osc)
	code, arg, _ := strings.Cut(body, ";")
	switch code {
	case "0", "2":
		s.title = arg
		s.winTitleSeq = titleSeq.Add(1)
	case "1":
	case "7":
		s.cwdURL = osc7(arg)
	case "1337":
		s.setUserVar(arg)
	default:
		for i := 0; i < len(body); i++ {
			if body[i] >= 0x80 {
				return
			}
		}
		s.emu.WriteString("\x1b]" + body + "\x07")
	}
}

// close ends the replies: their reader returns EOF. (The emulator's own
// Close is not safe beside a Read; its pipe is.)
func (s *screen) close() {
	if c, ok := s.emu.InputPipe().(io.Closer); ok {
		c.Close()
	}
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// Replies returns the emulator's answers to the program's queries; the
// pane copies them to the pty's input.
func (s *screen) Replies() io.Reader { return s.emu }

func (s *screen) resize(cols, rows int) {
	cols, rows = max(cols, 1), max(rows, 1)
	if cx, cy := s.cursor(); rows < s.rows && cy >= rows {
		// WezTerm keeps the cursor's line on screen when rows go: the
		// lines above it move to the scrollback.
		over := cy - rows + 1
		s.emu.WriteString(fmt.Sprintf("\x1b[%d;1H%s\x1b[%d;%dH", s.rows, strings.Repeat("\n", over), cy-over+1, cx+1))
	}
	s.emu.Resize(cols, rows)
	s.rows, s.cols = rows, cols
}

// cursor returns the cursor position as WezTerm's list reports it.
func (s *screen) cursor() (x, y int) {
	p := s.emu.CursorPosition()
	return min(p.X, s.cols-1), min(p.Y, s.rows-1)
}

// lines returns rows start..end (inclusive) where 0 is the top of the
// screen and negative numbers are scrollback (of the main screen; the
// alternate screen has none), as text with trailing blanks trimmed; with
// escapes, the styles are kept as SGR sequences.
func (s *screen) lines(start, end int, escapes bool) []string {
	var out []string
	sb := 0
	if !s.emu.IsAltScreen() {
		sb = s.emu.ScrollbackLen()
	}
	for y := start; y <= end; y++ {
		var l uv.Line
		switch {
		case y < 0 && -y <= sb:
			l = make(uv.Line, 0, s.cols)
			for x := 0; x < s.cols; x++ {
				c := s.emu.ScrollbackCellAt(x, sb+y)
				if c == nil {
					break
				}
				l = append(l, *c)
			}
		case y >= 0 && y < s.rows:
			l = make(uv.Line, 0, s.cols)
			for x := 0; x < s.cols; x++ {
				if c := s.emu.CellAt(x, y); c != nil {
					l = append(l, *c)
				}
			}
		default:
			continue
		}
		if escapes {
			out = append(out, strings.TrimRight(l.Render(), " "))
		} else {
			out = append(out, strings.TrimRight(l.String(), " "))
		}
	}
	return out
}
