package wezterm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

// PaneID, TabID and WindowID are WezTerm's mux ids: per-process counters
// that are never reused.
type (
	PaneID   uint64
	TabID    uint64
	WindowID uint64
)

// Size is a pane's pty size. Pixel sizes and dpi may be zero.
type Size struct {
	Rows        int `json:"rows"`
	Cols        int `json:"cols"`
	PixelWidth  int `json:"pixel_width"`
	PixelHeight int `json:"pixel_height"`
	DPI         int `json:"dpi"`
}

// Pane is one element of `wezterm cli list`. Fields a WezTerm release does
// not print keep their zero value; HasPosition and HasState say whether the
// geometry (2022-08+) and the state fields (2023-04+) were present.
type Pane struct {
	WindowID  WindowID `json:"window_id"`
	TabID     TabID    `json:"tab_id"`
	PaneID    PaneID   `json:"pane_id"`
	Workspace string   `json:"workspace"`
	Size      Size     `json:"size"`
	Title     string   `json:"title"`
	// CWD is the raw URL WezTerm reports ("" when unknown); see Location.
	CWD              string  `json:"cwd"`
	CursorX          int     `json:"cursor_x"`
	CursorY          int     `json:"cursor_y"`
	CursorShape      string  `json:"cursor_shape"`
	CursorVisibility string  `json:"cursor_visibility"`
	LeftCol          int     `json:"left_col"`
	TopRow           int     `json:"top_row"`
	TabTitle         string  `json:"tab_title"`
	WindowTitle      string  `json:"window_title"`
	IsActive         bool    `json:"is_active"`
	IsZoomed         bool    `json:"is_zoomed"`
	TTYName          *string `json:"tty_name"`

	HasPosition bool `json:"-"`
	HasState    bool `json:"-"`
}

// TTY returns the pane's pty path, or "" when WezTerm reports none (Windows,
// remote panes, or releases before 2023-04).
func (p Pane) TTY() string {
	if p.TTYName == nil {
		return ""
	}
	return *p.TTYName
}

// Location splits the pane's cwd URL into host and path and says where
// that path is: on this machine, on another one, or unknown.
//
// WezTerm reports the last OSC 7 a pane's programs sent, in preference to
// the directory of the pty's foreground process (mux/src/localpane.rs), and
// never checks it. So the host of that URL, not the pane's tty, says where
// the path is: after `ssh build-box` in a local pane the pty is local
// (tty_name is set) but the cwd is file://build-box/… on the remote host.
//
//	OSC 7 host            tty_name   →  Where
//	this machine          any        →  local
//	none (WezTerm's own)  set        →  local (the foreground process's folder)
//	none                  null       →  unknown (a mux/ssh/tmux domain pane: the
//	                                    remote's folder) — local on Windows and
//	                                    releases before tty_name existed
//	another host          any        →  remote
func (p Pane) Location() Location {
	loc := ParseCWD(p.CWD)
	switch {
	case loc.Path == "":
		loc.Where = WhereUnknown
	case loc.Host != "" && IsLocalHost(loc.Host):
		loc.Host, loc.Where = "", WhereLocal
	case loc.Host != "":
		loc.Where = WhereRemote
	case p.TTY() != "" || !p.HasState || runtime.GOOS == "windows":
		loc.Where = WhereLocal
	default:
		loc.Where = WhereUnknown
	}
	return loc
}

// Where says on which machine a pane's folder is.
type Where int

// Where values. Only WhereLocal paths may be used as a local --cwd.
const (
	WhereUnknown Where = iota
	WhereLocal
	WhereRemote
)

func (w Where) String() string {
	switch w {
	case WhereLocal:
		return "local"
	case WhereRemote:
		return "remote"
	}
	return "unknown"
}

// Hostname is this machine's name (os.Hostname, read again after a
// minute: a laptop's name can change while the tray runs for days); tests
// replace it.
var Hostname = func() string {
	hostMu.Lock()
	defer hostMu.Unlock()
	if time.Since(hostAt) > time.Minute {
		hostName, _ = os.Hostname()
		hostAt = time.Now()
	}
	return hostName
}

var (
	hostMu   sync.Mutex
	hostName string
	hostAt   time.Time
)

// IsLocalHost reports whether an OSC 7 host names this machine: its
// hostname (also with or without the domain), or localhost.
func IsLocalHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	me := strings.ToLower(Hostname())
	if host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]" {
		return true
	}
	if me == "" {
		return false
	}
	short := func(s string) string { n, _, _ := strings.Cut(s, "."); return n }
	return host == me || short(host) == short(me) && (!strings.Contains(host, ".") || !strings.Contains(me, "."))
}

// Location is a pane's working directory: Host is "" for local panes, the
// OSC 7 host of a remote one otherwise; Where classifies it (ParseCWD alone
// leaves it unknown).
type Location struct {
	Host  string
	Path  string
	Where Where
}

// ParseCWD decodes WezTerm's cwd field: "file:///abs/path/",
// "file://host/abs/path" (percent-encoded), a Windows "file:///C:/Users/",
// or "". A value that is not a URL is returned as a path unchanged.
func ParseCWD(raw string) Location {
	if raw == "" {
		return Location{}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return Location{Path: raw}
	}
	p := u.Path
	// file:///C:/x parses to path "/C:/x"; the drive letter is the real root.
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' && isLetter(p[1]) {
		p = p[1:]
	}
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return Location{Host: u.Host, Path: p}
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// rawPane mirrors Pane with pointers so that missing fields can be told from
// zero values.
type rawPane struct {
	WindowID         *WindowID `json:"window_id"`
	TabID            *TabID    `json:"tab_id"`
	PaneID           *PaneID   `json:"pane_id"`
	Workspace        *string   `json:"workspace"`
	Size             *Size     `json:"size"`
	Title            string    `json:"title"`
	CWD              string    `json:"cwd"`
	CursorX          int       `json:"cursor_x"`
	CursorY          int       `json:"cursor_y"`
	CursorShape      string    `json:"cursor_shape"`
	CursorVisibility string    `json:"cursor_visibility"`
	LeftCol          *int      `json:"left_col"`
	TopRow           *int      `json:"top_row"`
	TabTitle         string    `json:"tab_title"`
	WindowTitle      string    `json:"window_title"`
	IsActive         *bool     `json:"is_active"`
	IsZoomed         bool      `json:"is_zoomed"`
	TTYName          *string   `json:"tty_name"`
}

// DefaultWorkspace is WezTerm's name for the workspace of windows that were
// given none.
const DefaultWorkspace = "default"

// ParseList decodes `wezterm cli list --format json`. It accepts every
// vintage of the format: the ids are required (a pane without them cannot be
// acted on), every other field may be missing. Order is kept as printed.
func ParseList(data []byte) ([]Pane, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, fmt.Errorf("parse list: %w: empty output", ErrMalformed)
	}
	var raws []rawPane
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("parse list: %w: %v (output starts %q)", ErrMalformed, err, head(data))
	}
	panes := make([]Pane, 0, len(raws))
	seen := make(map[PaneID]bool, len(raws))
	for i, r := range raws {
		if r.WindowID == nil || r.TabID == nil || r.PaneID == nil {
			return nil, fmt.Errorf("parse list: %w: element %d lacks window_id, tab_id or pane_id", ErrMalformed, i)
		}
		if seen[*r.PaneID] {
			return nil, fmt.Errorf("parse list: %w: pane %d listed twice", ErrMalformed, *r.PaneID)
		}
		seen[*r.PaneID] = true
		p := Pane{
			WindowID: *r.WindowID, TabID: *r.TabID, PaneID: *r.PaneID,
			Workspace: DefaultWorkspace,
			Title:     r.Title, CWD: r.CWD,
			CursorX: r.CursorX, CursorY: r.CursorY,
			CursorShape: r.CursorShape, CursorVisibility: r.CursorVisibility,
			TabTitle: r.TabTitle, WindowTitle: r.WindowTitle,
			IsZoomed: r.IsZoomed, TTYName: r.TTYName,
		}
		if r.Workspace != nil {
			// "" is a workspace of its own (`--workspace ""`), not
			// "default"; only a release without the field means default.
			p.Workspace = *r.Workspace
		}
		if r.Size != nil {
			p.Size = *r.Size
		}
		if r.LeftCol != nil && r.TopRow != nil {
			p.LeftCol, p.TopRow, p.HasPosition = *r.LeftCol, *r.TopRow, true
		}
		if r.IsActive != nil {
			p.IsActive, p.HasState = *r.IsActive, true
		}
		if p.TTYName != nil && *p.TTYName == "" {
			p.TTYName = nil
		}
		panes = append(panes, p)
	}
	return panes, nil
}

// Duration is serde's encoding of std::time::Duration.
type Duration struct {
	Secs  uint64 `json:"secs"`
	Nanos uint32 `json:"nanos"`
}

// D converts to a time.Duration.
func (d Duration) D() time.Duration {
	return time.Duration(d.Secs)*time.Second + time.Duration(d.Nanos)
}

// ClientInfo is one element of `wezterm cli list-clients --format json`.
// A GUI registers itself as a client, so its Workspace is the workspace the
// GUI shows and FocusedPaneID the pane it focuses.
type ClientInfo struct {
	Username          string   `json:"username"`
	Hostname          string   `json:"hostname"`
	PID               int      `json:"pid"`
	ConnectionElapsed Duration `json:"connection_elapsed"`
	IdleTime          Duration `json:"idle_time"`
	Workspace         string   `json:"workspace"`
	FocusedPaneID     *PaneID  `json:"focused_pane_id"`
	SSHAuthSock       *string  `json:"ssh_auth_sock,omitempty"` // nightly only
}

// ParseClients decodes `wezterm cli list-clients --format json`.
func ParseClients(data []byte) ([]ClientInfo, error) {
	data = bytes.TrimSpace(data)
	var cs []ClientInfo
	if err := json.Unmarshal(data, &cs); err != nil {
		return nil, fmt.Errorf("parse list-clients: %w: %v (output starts %q)", ErrMalformed, err, head(data))
	}
	return cs, nil
}

// GUIClient picks the client WezTerm itself would (Client::resolve_pane_id):
// among clients with a focused pane, the one with the most recent input;
// clients without focus only when there is no other. ok is false when no
// client is attached (a headless mux server).
func GUIClient(clients []ClientInfo) (ClientInfo, bool) {
	best := -1
	better := func(a, b ClientInfo) bool {
		if (a.FocusedPaneID != nil) != (b.FocusedPaneID != nil) {
			return a.FocusedPaneID != nil
		}
		return a.IdleTime.D() < b.IdleTime.D()
	}
	for i, c := range clients {
		if best < 0 || better(c, clients[best]) {
			best = i
		}
	}
	if best < 0 {
		return ClientInfo{}, false
	}
	return clients[best], true
}

func head(b []byte) string {
	const n = 60
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
