//go:build unix

package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
)

// exec runs one parsed CLI request against the mux state. s.mu is held.
func (s *Server) exec(req request) (string, error) {
	a := req.Args
	switch a.Sub {
	case "list":
		if a.Flags["format"] == "json" {
			return s.listJSON(), nil
		}
		return s.listTable(), nil
	case "list-clients":
		if a.Flags["format"] == "json" {
			return s.clientsJSON(), nil
		}
		return s.clientsTable(), nil
	case "spawn":
		return s.spawn(a, req)
	case "split-pane":
		return s.split(a, req.EnvPane)
	}
	// The rest act on an existing pane, tab or window.
	if a.Sub == "activate-tab" && a.Has("tab-id") {
		return "", s.activateTabID(a)
	}
	if tid, ok := a.Int("tab-id"); ok && a.Sub == "set-tab-title" {
		t := s.tabByID(tid)
		if t == nil {
			return "", serverError(fmt.Sprintf("no such tab %d", tid))
		}
		t.title = a.Pos[0]
		return "", nil
	}
	if wid, ok := a.Int("window-id"); ok && a.Sub == "set-window-title" {
		w := s.windows[wid]
		if w == nil {
			return "", serverError(fmt.Sprintf("no such window %d", wid))
		}
		w.setTitle(a.Pos[0])
		return "", nil
	}
	if old, ok := a.Flags["workspace"]; ok && a.Sub == "rename-workspace" {
		s.renameWorkspace(old, a.Pos[0])
		return "", nil
	}
	p, err := s.resolvePane(a, req.EnvPane)
	if err != nil {
		return "", err
	}
	t := p.tab
	switch a.Sub {
	case "send-text":
		text := ""
		if len(a.Pos) > 0 {
			text = a.Pos[0]
		} else if req.Stdin != nil {
			text = *req.Stdin
		}
		if !a.Has("no-paste") {
			text = s.paste(p, text)
		}
		s.touchGUI(nil)
		return "", p.write([]byte(text))
	case "get-text":
		return s.getText(p, a), nil
	case "activate-pane":
		s.activate(p)
	// Both directions start from the tab's *active* pane: --pane-id only
	// picks the tab (sessionhandler.rs: tab.get_pane_direction(direction,
	// true) / activate_pane_direction). Seen on WezTerm 20250223.
	case "activate-pane-direction":
		if q := t.neighbor(t.active, a.Pos[0]); q != nil {
			s.activate(q)
		}
	case "get-pane-direction":
		if q := t.neighbor(t.active, a.Pos[0]); q != nil {
			return strconv.Itoa(q.id) + "\n", nil
		}
	case "kill-pane":
		p.kill()
		s.removePane(p)
	case "adjust-pane-size":
		n, ok := a.Int("amount")
		if !ok {
			n = 1
		}
		if d := a.Pos[0]; d == "Next" || d == "Prev" {
			// Tab::adjust_pane_size has unreachable!() for these
			// (mux/src/tab.rs): the GUI or mux server panics and is
			// gone; the CLI reads EOF. Seen on WezTerm 20250223.
			return "", errCrash
		}
		t.adjust(a.Pos[0], n) // the tab's active pane, not p (see adjust)
	case "activate-tab":
		return "", s.activateTabRel(p, a)
	case "set-tab-title":
		t.title = a.Pos[0]
	case "set-window-title":
		t.win.setTitle(a.Pos[0])
	case "rename-workspace":
		s.renameWorkspace(t.win.workspace, a.Pos[0])
	case "zoom-pane":
		// zoom_pane.rs decides zoomed (toggle: not already the zoomed
		// one); the server's SetPaneZoomed (sessionhandler.rs) acts only
		// on a change: --unzoom of a pane that is not the zoomed one does
		// nothing, and zooming makes the pane active first.
		zoom := !a.Has("unzoom")
		if a.Has("toggle") {
			zoom = t.zoomed != p
		}
		if (t.zoomed == p) == zoom {
			return "", nil
		}
		t.zoomed = nil
		if zoom {
			t.active = p
			t.zoomed = p
		}
		t.layout()
	case "move-pane-to-new-tab":
		return "", s.moveToNewTab(p, a)
	default:
		return "", fmt.Errorf("subcommand %s is not implemented by wezterm-sim", a.Sub)
	}
	return "", nil
}

func (s *Server) activate(p *pane) {
	t := p.tab
	t.active = p
	t.win.activeTab = slices.Index(t.win.tabs, t)
	s.touchGUI(p)
}

func (s *Server) tabByID(id int) *tab {
	for _, w := range s.windows {
		for _, t := range w.tabs {
			if t.id == id {
				return t
			}
		}
	}
	return nil
}

func (s *Server) activateTabID(a Args) error {
	id, _ := a.Int("tab-id")
	t := s.tabByID(id)
	if t == nil {
		// The CLI looks the tab up in its own list first
		// (wezterm/src/cli/activate_tab.rs).
		return fmt.Errorf("could not determine which pane should be active for tab %d", id)
	}
	s.activate(t.active)
	return nil
}

// activateTabRel is activate_tab.rs with --pane-id: the CLI itself picks
// the tab (its errors are its own, not the server's). --tab-index wins over
// --tab-relative when both are given; a negative index past the start
// saturates to the first tab, one past the end is an error; --tab-relative
// counts from the pane's own tab (not the window's active one) and wraps
// the way the Rust does it (a usize modulo).
func (s *Server) activateTabRel(p *pane, a Args) error {
	w := p.tab.win
	n := len(w.tabs)
	var idx int
	switch i, ok := a.Int("tab-index"); {
	case ok:
		idx = i
		if i < 0 {
			idx = max(0, n+i) // max.saturating_sub(tab_index.abs())
		}
		if idx >= n {
			return fmt.Errorf("tab index %d is invalid", i)
		}
	case a.Has("tab-relative"):
		d, _ := a.Int("tab-relative")
		tab := slices.Index(w.tabs, p.tab) + d
		if a.Has("no-wrap") {
			idx = clamp(tab, 0, n-1)
		} else {
			if tab < 0 {
				tab += n
			}
			idx = int(uint64(tab) % uint64(n))
		}
	default:
		return errors.New("impossible arguments!")
	}
	s.activate(w.tabs[idx].active)
	return nil
}

func (s *Server) renameWorkspace(old, name string) {
	for _, w := range s.windows {
		if w.workspace == old {
			w.workspace = name
		}
	}
	if s.gui != nil && s.gui.workspace == old {
		s.gui.workspace = name
	}
}

// paste is WezTerm's send_paste: bracketed when the program enabled it,
// else newlines canonicalized to CR.
//
// Markers inside the text are removed either way, so pasted text cannot end
// the bracket early (term/src/terminalstate/mod.rs send_paste, "de_fanged").
func (s *Server) paste(p *pane, text string) string {
	p.mu.Lock()
	bracketed := p.scr.bracketedPaste
	p.mu.Unlock()
	if !bracketed {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\r"), "\n", "\r")
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\x1b[200~", ""), "\x1b[201~", "")
	if bracketed {
		return "\x1b[200~" + text + "\x1b[201~"
	}
	return text
}

func (s *Server) getText(p *pane, a Args) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	start, ok := a.Int("start-line")
	if !ok {
		start = 0
	}
	end, ok := a.Int("end-line")
	if !ok {
		end = p.scr.rows - 1
	}
	var b strings.Builder
	for _, l := range p.scr.lines(start, end, a.Has("escapes")) {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

func (s *Server) spawn(a Args, req request) (string, error) {
	envPane := req.EnvPane
	if d, ok := a.Flags["domain-name"]; ok && d != "local" {
		return "", serverError(fmt.Sprintf("domain %q not found", d))
	}
	var w *window
	switch {
	case a.Has("window-id"):
		id, _ := a.Int("window-id")
		if w = s.windows[id]; w == nil {
			return "", serverError(fmt.Sprintf("window_id %d not found on this server", id))
		}
	case !a.Has("new-window"):
		p, err := s.resolvePane(a, envPane)
		if err != nil && !isServerError(err) {
			return "", err
		}
		if p != nil {
			w = p.tab.win
		}
	}
	created := false
	if w == nil {
		// --workspace "" names a workspace "" (spawn_command.rs passes
		// Some("")); only no flag means "default".
		ws, ok := a.Flags["workspace"]
		if !ok {
			ws = "default"
		}
		cols, rows := initialSize(req.Config)
		w, created = s.newWindow(ws, cols, rows), true
	}
	cols, rows := w.cols, w.rows
	if len(w.tabs) > 0 {
		cols, rows = w.tabs[w.activeTab].size.cols, w.tabs[w.activeTab].size.rows
	}
	p, err := s.newPane(a.Pos, a.Flags["cwd"], cols, rows)
	if err != nil {
		if created {
			delete(s.windows, w.id)
		}
		return "", err
	}
	// A new window keeps the size it was made with, in a hidden
	// workspace until it is shown, in the shown one as the OS window
	// opens at that size (a window manager may resize it later).
	s.newTab(w, p)
	s.fixGUI()
	if s.gui != nil && w.workspace == s.gui.workspace {
		s.gui.focused = p.id
	}
	return strconv.Itoa(p.id) + "\n", nil
}

func isServerError(err error) bool { _, ok := err.(serverError); return ok }

func (s *Server) split(a Args, envPane *string) (string, error) {
	p, err := s.resolvePane(a, envPane)
	if err != nil {
		return "", err
	}
	t := p.tab
	if t.zoomed != nil {
		t.zoomed = nil
		t.layout()
	}
	r := splitRequest{axis: stacked, second: true, topLevel: a.Has("top-level")}
	switch {
	case a.Has("horizontal"), a.Has("right"):
		r.axis = sideBySide
	case a.Has("left"):
		r.axis, r.second = sideBySide, false
	case a.Has("top"):
		r.second = false
	}
	r.cells, _ = a.Int("cells")
	r.percent, _ = a.Int("percent") // over 100: "No space for split!"
	// A pane being moved leaves its old place first, so the target and its
	// extent are measured on the tree it will join.
	var np *pane
	if mid, ok := a.Int("move-pane-id"); ok {
		if np = s.panes[mid]; np == nil {
			return "", noSuchPane(mid)
		}
		if np == p || (a.Has("top-level") && len(t.panes()) == 1 && np.tab == t) {
			return "", serverError("cannot move a pane next to itself")
		}
		s.detach(np)
	}
	target := p.node
	ext := target.w
	if r.topLevel && t.root.pane == nil {
		ext = t.size.cols
		if r.axis == stacked {
			ext = t.size.rows
		}
	} else if r.axis == stacked {
		ext = target.h
	}
	newSize, _, err := splitDimension(ext, r)
	if err != nil {
		if np != nil {
			s.newTab(t.win, np) // never lose the moved pane
		}
		return "", serverError(err.Error())
	}
	cols, rows := target.w, newSize
	if r.axis == sideBySide {
		cols, rows = newSize, target.h
	}
	if np != nil {
		np.setSize(cols, rows)
	} else {
		cwd := a.Flags["cwd"]
		if cwd == "" {
			// The pane's working directory as WezTerm knows it: the
			// OSC 7 one first, else its process's (mux/src/domain.rs
			// split_pane → get_current_working_dir).
			if u, err := url.Parse(p.cwd()); err == nil && u.Path != "" {
				cwd = u.Path
			}
		}
		if np, err = s.newPane(a.Pos, cwd, cols, rows); err != nil {
			return "", err
		}
	}
	np.tab = t
	if err := t.insertSplit(target, np, r); err != nil {
		return "", serverError(err.Error())
	}
	s.touchGUI(t.active)
	return strconv.Itoa(np.id) + "\n", nil
}

func (s *Server) moveToNewTab(p *pane, a Args) error {
	w := p.tab.win
	switch {
	case a.Has("window-id"):
		id, _ := a.Int("window-id")
		if w = s.windows[id]; w == nil {
			return serverError(fmt.Sprintf("window_id %d not found on this server", id))
		}
	case a.Has("new-window"):
		// Window::new(None) takes the CLI client's active workspace,
		// which it never set: "default", not the pane's own
		// (mux/src/window.rs, mux/src/lib.rs move_pane_to_new_tab).
		ws, ok := a.Flags["workspace"]
		if !ok {
			ws = "default"
		}
		// The new tab takes the size of the pane's old tab
		// (mux/src/lib.rs move_pane_to_new_tab: src_tab.get_size()).
		w = s.newWindow(ws, p.tab.size.cols, p.tab.size.rows)
	}
	s.detach(p)
	s.newTab(w, p)
	s.fixGUI()
	return nil
}

// --- output formats ---

type jsonSize1 struct {
	Rows int `json:"rows"`
	Cols int `json:"cols"`
}

type jsonSize2 struct {
	Rows        int `json:"rows"`
	Cols        int `json:"cols"`
	PixelWidth  int `json:"pixel_width"`
	PixelHeight int `json:"pixel_height"`
	DPI         int `json:"dpi"`
}

// listItem is CliListResultItem (wezterm/src/cli/list.rs) of the newest
// format; older releases print a prefix of these fields.
type listItem struct {
	WindowID         int       `json:"window_id"`
	TabID            int       `json:"tab_id"`
	PaneID           int       `json:"pane_id"`
	Workspace        string    `json:"workspace"`
	Size             jsonSize2 `json:"size"`
	Title            string    `json:"title"`
	CWD              string    `json:"cwd"`
	CursorX          int       `json:"cursor_x"`
	CursorY          int       `json:"cursor_y"`
	CursorShape      string    `json:"cursor_shape"`
	CursorVisibility string    `json:"cursor_visibility"`
	LeftCol          int       `json:"left_col"`
	TopRow           int       `json:"top_row"`
	TabTitle         string    `json:"tab_title"`
	WindowTitle      string    `json:"window_title"`
	IsActive         bool      `json:"is_active"`
	IsZoomed         bool      `json:"is_zoomed"`
	TTYName          *string   `json:"tty_name"`
}

type listItem2022 struct {
	WindowID  int       `json:"window_id"`
	TabID     int       `json:"tab_id"`
	PaneID    int       `json:"pane_id"`
	Workspace string    `json:"workspace"`
	Size      jsonSize1 `json:"size"`
	Title     string    `json:"title"`
	CWD       string    `json:"cwd"`
}

type listItem202208 struct {
	WindowID         int       `json:"window_id"`
	TabID            int       `json:"tab_id"`
	PaneID           int       `json:"pane_id"`
	Workspace        string    `json:"workspace"`
	Size             jsonSize2 `json:"size"`
	Title            string    `json:"title"`
	CWD              string    `json:"cwd"`
	CursorX          int       `json:"cursor_x"`
	CursorY          int       `json:"cursor_y"`
	CursorShape      string    `json:"cursor_shape"`
	CursorVisibility string    `json:"cursor_visibility"`
	LeftCol          int       `json:"left_col"`
	TopRow           int       `json:"top_row"`
}

func (s *Server) items() []listItem {
	var out []listItem
	for _, w := range s.windowOrder() {
		winTitle := s.windowTitle(w)
		for _, t := range w.tabs {
			for _, p := range t.panes() {
				p.mu.Lock()
				cols, rows := p.cols, p.rows
				cx, cy := p.scr.cursor()
				hidden := p.scr.cursorHidden
				p.mu.Unlock()
				tty := p.tty
				it := listItem{
					WindowID: w.id, TabID: t.id, PaneID: p.id, Workspace: w.workspace,
					Size:  jsonSize2{Rows: rows, Cols: cols, PixelWidth: cols * cellW, PixelHeight: rows * cellH, DPI: dpi},
					Title: p.title(), CWD: p.cwd(),
					CursorX: cx, CursorY: cy, CursorShape: "Default", CursorVisibility: "Visible",
					LeftCol: p.node.x, TopRow: p.node.y,
					TabTitle: t.title, WindowTitle: winTitle,
					IsActive: t.active == p, IsZoomed: t.zoomed == p, TTYName: &tty,
				}
				if hidden {
					it.CursorVisibility = "Hidden"
				}
				out = append(out, it)
			}
		}
		// window_title is the mux window's title: "" until
		// set-window-title, GUI or not (the OS window's title is the GUI's
		// own; seen on WezTerm 20250223).
	}
	return out
}

// prettyJSON matches serde_json's pretty printer: two-space indent, no
// HTML escaping, no trailing newline.
func prettyJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

func (s *Server) listJSON() string {
	items := s.items()
	switch {
	case !hasRelease(s.version, "20220807"):
		old := make([]listItem2022, len(items))
		for i, it := range items {
			old[i] = listItem2022{it.WindowID, it.TabID, it.PaneID, it.Workspace, jsonSize1{it.Size.Rows, it.Size.Cols}, it.Title, it.CWD}
		}
		return prettyJSON(old)
	case !hasRelease(s.version, "20230408"):
		old := make([]listItem202208, len(items))
		for i, it := range items {
			old[i] = listItem202208{it.WindowID, it.TabID, it.PaneID, it.Workspace, it.Size, it.Title, it.CWD,
				it.CursorX, it.CursorY, it.CursorShape, it.CursorVisibility, it.LeftCol, it.TopRow}
		}
		return prettyJSON(old)
	}
	if items == nil {
		items = []listItem{}
	}
	return prettyJSON(items)
}

// table renders rows the way tabout does: columns as wide as their widest
// cell by display width, one space apart, every cell padded.
func table(header []string, right []bool, rows [][]string) string {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = runewidth.StringWidth(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(' ')
			}
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(c))
			if right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		b.WriteByte('\n')
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// listTable is list's table; releases before 20220319 had no workspaces
// and print six columns (wezterm/src/main.rs of 20220101: WINID TABID
// PANEID SIZE TITLE CWD).
func (s *Server) listTable() string {
	old := !hasRelease(s.version, "20220319")
	var rows [][]string
	for _, it := range s.items() {
		row := []string{strconv.Itoa(it.WindowID), strconv.Itoa(it.TabID), strconv.Itoa(it.PaneID),
			it.Workspace, fmt.Sprintf("%dx%d", it.Size.Cols, it.Size.Rows), it.Title, it.CWD}
		if old {
			row = slices.Delete(row, 3, 4)
		}
		rows = append(rows, row)
	}
	if old {
		return table([]string{"WINID", "TABID", "PANEID", "SIZE", "TITLE", "CWD"},
			[]bool{true, true, true, false, false, false}, rows)
	}
	return table([]string{"WINID", "TABID", "PANEID", "WORKSPACE", "SIZE", "TITLE", "CWD"},
		[]bool{true, true, true, false, false, false, false}, rows)
}

type serdeDuration struct {
	Secs  int64 `json:"secs"`
	Nanos int64 `json:"nanos"`
}

func toSerde(d time.Duration) serdeDuration {
	return serdeDuration{Secs: int64(d / time.Second), Nanos: int64(d % time.Second)}
}

type clientItem struct {
	Username          string        `json:"username"`
	Hostname          string        `json:"hostname"`
	PID               int           `json:"pid"`
	ConnectionElapsed serdeDuration `json:"connection_elapsed"`
	IdleTime          serdeDuration `json:"idle_time"`
	Workspace         string        `json:"workspace"`
	FocusedPaneID     *int          `json:"focused_pane_id"`
}

type clientItemNightly struct {
	clientItem
	SSHAuthSock *string `json:"ssh_auth_sock"`
}

func (s *Server) clientItems() []clientItem {
	if s.gui == nil {
		return []clientItem{}
	}
	host, _ := os.Hostname()
	it := clientItem{Username: currentUser(), Hostname: host, PID: s.gui.pid,
		ConnectionElapsed: toSerde(time.Since(s.started)), IdleTime: toSerde(time.Since(s.gui.lastInput)),
		Workspace: s.gui.workspace}
	if p := s.guiFocus(); p != nil && !s.cfg.GUIUnfocused && !s.gui.remote {
		it.FocusedPaneID = &p.id
	}
	if s.gui.remote {
		// The server never sets a remote client's active workspace
		// (mux/src/client.rs, sessionhandler.rs SetClientId; seen on
		// WezTerm 20250223 with `wezterm connect unix`).
		it.Workspace = ""
	}
	return []clientItem{it}
}

func (s *Server) clientsJSON() string {
	items := s.clientItems()
	if hasRelease(s.version, "20240510") {
		n := make([]clientItemNightly, len(items))
		for i, it := range items {
			n[i].clientItem = it
			if v, ok := os.LookupEnv("SSH_AUTH_SOCK"); ok {
				n[i].SSHAuthSock = &v
			}
		}
		return prettyJSON(n)
	}
	return prettyJSON(items)
}

// rustDebugDuration prints a duration as Rust's Debug does (166.03140978s).
func rustDebugDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%d.%09d", d/time.Second, d%time.Second), "0"), ".") + "s"
	case d >= time.Millisecond:
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%d.%06d", d/time.Millisecond, d%time.Millisecond), "0"), ".") + "ms"
	default:
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%d.%03d", d/time.Microsecond, d%time.Microsecond), "0"), ".") + "µs"
	}
}

func (s *Server) clientsTable() string {
	var rows [][]string
	for _, c := range s.clientItems() {
		focus := ""
		if c.FocusedPaneID != nil {
			focus = strconv.Itoa(*c.FocusedPaneID)
		}
		rows = append(rows, []string{c.Username, c.Hostname, strconv.Itoa(c.PID),
			rustDebugDuration(time.Duration(c.ConnectionElapsed.Secs)*time.Second + time.Duration(c.ConnectionElapsed.Nanos)),
			rustDebugDuration(time.Duration(c.IdleTime.Secs)*time.Second + time.Duration(c.IdleTime.Nanos)),
			c.Workspace, focus})
	}
	return table([]string{"USER", "HOST", "PID", "CONNECTED", "IDLE", "WORKSPACE", "FOCUS"},
		[]bool{false, false, true, false, false, false, true}, rows)
}
