//go:build unix

package sim

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config configures a Server.
type Config struct {
	Socket  string
	Version string   // release to imitate; "" = DefaultVersion
	Cols    int      // size of new windows (WezTerm's initial_size); 0 = 160
	Rows    int      // 0 = 48
	Shell   []string // default program; nil = $SHELL or /bin/sh
	Home    string   // default cwd; "" = the user's home
	Env     []string // base environment of pane programs; nil = os.Environ()
	NoGUI   bool     // behave as a headless mux server (list-clients is empty)
	Ordered bool     // list windows by id instead of WezTerm's unspecified order
	// GUIUnfocused: the GUI's OS window never had the keyboard focus (a
	// GUI under Xvfb without a window manager): WezTerm records a client's
	// focused pane only while painting a focused window, so list-clients
	// shows focused_pane_id null.
	GUIUnfocused bool
	// LuaSnippet: behave as a WezTerm whose wezterm.lua has the
	// workspace-switching snippet (a user-var-changed handler calling
	// SwitchToWorkspace for the user var "switch_workspace").
	LuaSnippet bool
	// FakeAgent is the argv prefix that runs `wezterm-sim fake-agent` (the
	// demo's imitation agents); nil: the demo uses shell loops instead.
	FakeAgent []string
	// UsageDir: the demo's imitation agents record token use there, as
	// Claude Code would in its config folder ("" : they record nothing).
	UsageDir string
	Log      io.Writer
}

// Server holds the simulated mux state and answers CLI requests on a unix
// socket.
type Server struct {
	cfg     Config
	ln      net.Listener
	started time.Time
	shuffle bool

	mu       sync.Mutex
	windows  map[int]*window
	panes    map[int]*pane
	nextWin  int
	nextTab  int
	nextPane int
	gui      *guiClient
	faults   faults
	version  string
	closed   bool
	snippet  string // "", "on" or "legacy"

	wg   sync.WaitGroup
	done chan struct{}
}

type guiClient struct {
	workspace string
	focused   int // -1: derive from the active tab of the workspace
	lastInput time.Time
	pid       int
	remote    bool // attached with `wezterm connect`: no workspace reported
}

type faults struct {
	Delay     time.Duration `json:"delay"`
	Garbage   bool          `json:"garbage"`
	FailMsg   string        `json:"fail_message,omitempty"`
	FailCall  int           `json:"fail_call,omitempty"` // fail the Nth CLI request from when it was set (1-based)
	FailSub   string        `json:"fail_sub,omitempty"`
	FailTimes int           `json:"fail_times,omitempty"` // how many failures remain; -1 = unlimited
	Calls     int           `json:"calls"`                // CLI requests since the last "fail" setting
}

// NewServer listens on cfg.Socket. A stale socket file is replaced; a live
// one is an error.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Version == "" {
		cfg.Version = DefaultVersion
	}
	if cfg.Cols == 0 {
		cfg.Cols = 160
	}
	if cfg.Rows == 0 {
		cfg.Rows = 48
	}
	if len(cfg.Shell) == 0 {
		sh := os.Getenv("SHELL")
		if sh == "" {
			sh = "/bin/sh"
		}
		cfg.Shell = []string{sh}
	}
	if cfg.Home == "" {
		cfg.Home, _ = os.UserHomeDir()
	}
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if c, err := net.DialTimeout("unix", cfg.Socket, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("a server already listens on %s", cfg.Socket)
	}
	_ = os.Remove(cfg.Socket)
	if err := os.MkdirAll(filepath.Dir(cfg.Socket), 0o700); err != nil {
		return nil, fmt.Errorf("create socket dir: %w", err)
	}
	ln, err := net.Listen("unix", cfg.Socket)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Socket, err)
	}
	s := &Server{cfg: cfg, ln: ln, started: time.Now(), shuffle: !cfg.Ordered,
		windows: map[int]*window{}, panes: map[int]*pane{}, version: cfg.Version,
		faults: faults{FailTimes: -1}, done: make(chan struct{}), snippet: map[bool]string{true: "on"}[cfg.LuaSnippet]}
	if !cfg.NoGUI {
		s.gui = &guiClient{workspace: "default", focused: -1, lastInput: time.Now(), pid: os.Getpid()}
	}
	return s, nil
}

// Socket returns the socket path.
func (s *Server) Socket() string { return s.cfg.Socket }

// Serve answers requests until Close or Kill.
func (s *Server) Serve() error {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("accept: %w", err)
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handleConn(c)
		}()
	}
}

// Done is closed when the server stops.
func (s *Server) Done() <-chan struct{} { return s.done }

// Close kills every pane, stops listening and removes the socket.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	// The socket goes first: whoever sees Done must find nothing
	// listening (a GUI that quit answers no more calls).
	err := s.ln.Close()
	_ = os.Remove(s.cfg.Socket)
	close(s.done)
	for _, p := range s.panes {
		p.kill()
	}
	s.mu.Unlock()
	return err
}

// request is one CLI or control call over the socket.
type request struct {
	Op       string   `json:"op"` // hello | cli | ctl
	Args     Args     `json:"args"`
	EnvPane  *string  `json:"env_pane,omitempty"`
	Stdin    *string  `json:"stdin,omitempty"`
	Ctl      []string `json:"ctl,omitempty"`
	ClientPI int      `json:"client_pid"`
	// Config holds the CLI's --config name=value overrides (spawn reads
	// initial_cols and initial_rows from them).
	Config map[string]string `json:"config,omitempty"`
}

type response struct {
	Version string `json:"version,omitempty"`
	Stdout  string `json:"stdout,omitempty"`
	Error   string `json:"error,omitempty"` // printed as WezTerm's ERROR line, exit 1
}

func (s *Server) handleConn(c net.Conn) {
	defer c.Close()
	var req request
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&req); err != nil {
		return
	}
	resp, delay, exit := s.handle(req)
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-s.done:
			return
		}
	}
	_ = json.NewEncoder(c).Encode(resp)
	if exit != nil {
		exit()
	}
}

func (s *Server) handle(req request) (resp response, delay time.Duration, after func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resp.Version = s.version
	switch req.Op {
	case "hello":
		return resp, 0, nil
	case "ctl":
		out, err, after := s.control(req.Ctl)
		resp.Stdout = out
		if err != nil {
			resp.Error = err.Error()
		}
		return resp, 0, after
	case "cli":
	default:
		resp.Error = "unknown request " + strconv.Quote(req.Op)
		return resp, 0, nil
	}
	f := &s.faults
	f.Calls++
	delay = f.Delay
	if f.FailMsg != "" && f.FailTimes != 0 && (f.FailSub == "" || f.FailSub == req.Args.Sub) &&
		(f.FailCall == 0 || f.FailCall == f.Calls) {
		if f.FailTimes > 0 {
			f.FailTimes--
		}
		resp.Error = errorResponse(f.FailMsg)
		return resp, delay, nil
	}
	out, err := s.exec(req)
	if errors.Is(err, errCrash) {
		resp.Error = err.Error()
		return resp, delay, func() { go s.Close() }
	}
	if err != nil {
		resp.Error = err.Error()
		return resp, delay, nil
	}
	resp.Stdout = out
	if f.Garbage {
		resp.Stdout = "\x00\x1b[31mgarbage{\"window_id\": [\xff\n"
	}
	return resp, delay, nil
}

// serverError is a failure the mux server reports; the CLI prints it the way
// WezTerm's rpc! macro does.
type serverError string

func (e serverError) Error() string { return errorResponse(string(e)) }

func errorResponse(reason string) string {
	q := strings.ReplaceAll(strings.ReplaceAll(reason, `\`, `\\`), `"`, `\"`)
	return `unexpected response Ok(ErrorResponse(ErrorResponse { reason: "Error: ` + q + `" }))`
}

// errCrash is WezTerm panicking on a request: the process is gone and the
// CLI fails reading the answer.
var errCrash = errors.New("Error while decoding response pdu: decoding a PDU: decode_raw_async failed to read PDU length: EOF while reading leb128 encoded value")

func noSuchPane(id int) error { return serverError(fmt.Sprintf("no such pane %d", id)) }

const paneNotSpecified = "--pane-id was not specified and $WEZTERM_PANE\n                         is not set in the environment, and I couldn't\n                         determine which pane was currently focused"

// resolvePane is Client::resolve_pane_id followed by the server's lookup.
func (s *Server) resolvePane(a Args, envPane *string) (*pane, error) {
	var id int
	switch {
	case a.Has("pane-id"):
		id, _ = a.Int("pane-id")
	case envPane != nil:
		n, err := strconv.Atoi(*envPane)
		if err != nil || n < 0 {
			return nil, errors.New("invalid digit found in string")
		}
		id = n
	default:
		p := s.guiFocus()
		if p == nil {
			return nil, errors.New(paneNotSpecified)
		}
		return p, nil
	}
	p := s.panes[id]
	if p == nil {
		return nil, paneMissing(a.Sub, id)
	}
	return p, nil
}

// paneMissing is how each subcommand says that its pane does not exist, in
// WezTerm's own words (wezterm-cli.md §9): the mux server's "no such pane"
// for most (mux/src/lib.rs), activate-pane's own, the session handler's
// for split-pane and adjust-pane-size
// (wezterm-mux-server-impl/src/sessionhandler.rs), and the CLI's own for
// the commands that first resolve the pane's tab, window or workspace
// from a list of panes (wezterm/src/cli/zoom_pane.rs, set_tab_title.rs,
// activate_tab.rs, set_window_title.rs, rename_workspace.rs), which it
// prints without an ErrorResponse around it.
func paneMissing(sub string, id int) error {
	switch sub {
	case "activate-pane", "move-pane-to-new-tab":
		return serverError(fmt.Sprintf("pane %d not found", id))
	case "split-pane", "adjust-pane-size":
		return serverError(fmt.Sprintf("pane_id %d invalid", id))
	case "zoom-pane", "set-tab-title", "activate-tab":
		return errors.New("unable to resolve current tab")
	case "set-window-title":
		return errors.New("unable to resolve current window")
	case "rename-workspace":
		return errors.New("unable to resolve current workspace")
	}
	return noSuchPane(id)
}

// guiFocus is the pane the simulated GUI focuses, or nil. Until the GUI
// first paints a workspace (focused -1) it is the active pane of its first
// window, and it stays that pane (a CLI call does not move it) until a
// switch or until that pane goes.
func (s *Server) guiFocus() *pane {
	if s.gui == nil {
		return nil
	}
	if p := s.panes[s.gui.focused]; p != nil && p.tab != nil && p.tab.win.workspace == s.gui.workspace {
		return p
	}
	for _, w := range s.windowsByID() {
		if w.workspace == s.gui.workspace && len(w.tabs) > 0 {
			p := w.tabs[w.activeTab].active
			s.gui.focused = p.id
			return p
		}
	}
	return nil
}

func (s *Server) windowsByID() []*window {
	ws := make([]*window, 0, len(s.windows))
	for _, w := range s.windows {
		ws = append(ws, w)
	}
	slices.SortFunc(ws, func(a, b *window) int { return a.id - b.id })
	return ws
}

// touchGUI is what a CLI call does to the GUI client: nothing. WezTerm
// records a client's focused pane when its focused OS window paints after
// a focus change or input, and its idle time only on GUI input (keys,
// mouse, paste: mux/src/localpane.rs, wezterm-gui/src/termwindow); a CLI
// activate-pane, spawn or split leaves list-clients' focused_pane_id and
// idle_time as they were. Seen on WezTerm 20250223 under Xvfb: after
// activate-pane of another pane of the focused window, focused_pane_id
// kept the old pane.
func (s *Server) touchGUI(*pane) {}

func (s *Server) newWindow(workspace string, cols, rows int) *window {
	w := &window{id: s.nextWin, workspace: workspace, cols: cols, rows: rows}
	s.nextWin++
	s.windows[w.id] = w
	return w
}

// newPane starts prog in a new pane and registers it (not yet in a tab).
func (s *Server) newPane(prog []string, cwd string, cols, rows int) (*pane, error) {
	if len(prog) == 0 {
		prog = s.cfg.Shell
	}
	if st, err := os.Stat(cwd); cwd == "" || err != nil || !st.IsDir() {
		// A cwd that is not a directory is dropped without a word: the
		// program starts in the home directory (pty/src/cmdbuilder.rs
		// as_command: .filter(is_dir).unwrap_or(home)).
		cwd = s.cfg.Home
	}
	id := s.nextPane
	env := append(slices.Clone(s.cfg.Env),
		"WEZTERM_PANE="+strconv.Itoa(id),
		"WEZTERM_UNIX_SOCKET="+s.cfg.Socket,
		"TERM=xterm-256color", "COLORTERM=truecolor", "TERM_PROGRAM=WezTerm",
		"TERM_PROGRAM_VERSION="+s.version)
	p, err := startPane(id, prog, cwd, env, cols, rows)
	if err != nil {
		return nil, serverError(err.Error())
	}
	s.nextPane++
	s.panes[id] = p
	p.mu.Lock()
	p.scr.onUserVar = func(name, value string) { go s.userVar(p, name, value) }
	p.mu.Unlock()
	go s.reap(p)
	return p, nil
}

// userVar is WezTerm's user-var-changed event with the snippet installed:
// it fires only in the GUI window showing the pane, i.e. when the pane is
// in the GUI's workspace, and SwitchToWorkspace creates a missing one.
//
// The snippet of this version reacts to SnippetVar and answers
// SnippetPingVar in wsswitch.PongFile (with its config file "" and the
// release imitated); `ctl snippet legacy` is one installed before the var
// was namespaced, reacting to "switch_workspace" only.
func (s *Server) userVar(p *pane, name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snippet == "" || s.gui == nil || s.panes[p.id] != p || p.tab == nil ||
		p.tab.win.workspace != s.gui.workspace {
		return
	}
	switch {
	case s.snippet == "legacy" && name == LegacySnippetVar, s.snippet == "on" && name == SnippetVar:
		if err := s.switchWorkspace(value); err != nil {
			fmt.Fprintf(s.cfg.Log, "switch workspace %q: %v\n", value, err)
		}
	case s.snippet == "on" && name == SnippetPingVar:
		_ = os.WriteFile(SnippetPongFile(), []byte(value+"\n\n"+s.version+"\n"), 0o600)
	}
}

// The snippet's user vars and answer file, as internal/wsswitch names them
// (its tests check they agree; wsswitch's tests use the stand-in, so it
// cannot import wsswitch).
const (
	SnippetVar       = "wezterm_parallel_switch"
	LegacySnippetVar = "switch_workspace"
	SnippetPingVar   = "wezterm_parallel_ping"
)

// SnippetPongFile is where the snippet answers a ping.
func SnippetPongFile() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "wezterm-parallel", "snippet-pong")
}

// reap waits for a pane's program; a clean exit closes the pane, an unclean
// one leaves it open with WezTerm's notice (exit_behavior CloseOnCleanExit).
func (s *Server) reap(p *pane) {
	code, clean := p.wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.panes[p.id] != p {
		return // killed or server closed
	}
	fmt.Fprintf(s.cfg.Log, "pane %d exited with code %d\n", p.id, code)
	if clean {
		s.removePane(p)
		return
	}
	p.showExit(code)
}

// newTab puts p in a new tab of w and activates it.
func (s *Server) newTab(w *window, p *pane) *tab {
	// A tab added to a window takes the size its window's active tab
	// records (mux/src/lib.rs spawn_tab_or_window, move_pane_to_new_tab:
	// tab.get_size()), the window's own when it has none.
	sz := size{w.cols, w.rows}
	if len(w.tabs) > 0 {
		sz = w.tabs[w.activeTab].size
	}
	t := &tab{id: s.nextTab, win: w, size: sz}
	s.nextTab++
	leaf := &node{pane: p}
	p.node, p.tab, t.root, t.active = leaf, t, leaf, p
	w.tabs = append(w.tabs, t)
	w.activeTab = len(w.tabs) - 1
	t.layout()
	return t
}

// guiResize is the GUI showing w in its window: the tabs take the GUI's
// size (wezterm-gui/src/termwindow/resize.rs), one cell at a time. Only
// windows of the workspace the GUI shows have an OS window; the others
// keep the size they were made with until a switch shows them
// (showWorkspace). A mux server without a GUI leaves windows as made.
func (s *Server) guiResize(w *window) { s.resizeWindow(w, s.cfg.Cols, s.cfg.Rows) }

func (s *Server) resizeWindow(w *window, cols, rows int) {
	if s.gui == nil || w.cols == cols && w.rows == rows {
		return
	}
	w.cols, w.rows = cols, rows
	for _, t := range w.tabs {
		t.resize(size{w.cols, w.rows})
	}
}

// showWorkspace is reconcile_workspace (wezterm-gui/src/frontend.rs) on a
// switch from old to name: the GUI's OS windows (those of old, by id) are
// repurposed for name's windows, by id, and each shown window takes the
// size of the OS window it lands in; windows beyond those get OS windows
// of their own size.
func (s *Server) showWorkspace(old, name string) {
	var sizes []size
	var shown []*window
	for _, w := range s.windowsByID() {
		switch w.workspace {
		case old:
			sizes = append(sizes, size{w.cols, w.rows})
		case name:
			shown = append(shown, w)
		}
	}
	for i, w := range shown {
		if i < len(sizes) {
			s.resizeWindow(w, sizes[i].cols, sizes[i].rows)
		}
	}
}

// initialSize is the size of a new mux window: the CLI's initial_cols ×
// initial_rows (its --config overrides, else WezTerm's 80×24).
func initialSize(cfg map[string]string) (cols, rows int) {
	cols, rows = initialCols, initialRows
	if n, err := strconv.Atoi(cfg["initial_cols"]); err == nil && n > 0 {
		cols = n
	}
	if n, err := strconv.Atoi(cfg["initial_rows"]); err == nil && n > 0 {
		rows = n
	}
	return cols, rows
}

// removePane takes p out of the mux; empty tabs and windows go too.
func (s *Server) removePane(p *pane) {
	delete(s.panes, p.id)
	p.mu.Lock()
	p.scr.close()
	p.mu.Unlock()
	s.detach(p)
	s.fixGUI()
	if s.gui != nil && len(s.panes) == 0 {
		// The last window closed: the GUI quits
		// (quit_when_all_windows_are_closed, on by default) and its mux
		// server with it, so the next call finds nothing running. A
		// headless mux server (NoGUI) stays.
		go func() {
			time.Sleep(50 * time.Millisecond) // let this call's answer out
			s.Close()
		}()
	}
}

// detach takes p out of its tab, dropping the tab and window if empty.
func (s *Server) detach(p *pane) {
	t := p.tab
	t.detach(p)
	p.tab = nil
	if t.root != nil {
		return
	}
	w := t.win
	i := slices.Index(w.tabs, t)
	w.tabs = slices.Delete(w.tabs, i, i+1)
	if w.activeTab >= len(w.tabs) || w.activeTab > i {
		w.activeTab = max(0, w.activeTab-1)
	}
	if len(w.tabs) == 0 {
		delete(s.windows, w.id)
	}
}

// fixGUI switches the GUI to the first workspace in sorted order when its
// workspace has no window left, as WezTerm's GUI does.
func (s *Server) fixGUI() {
	if s.gui == nil {
		return
	}
	names := s.workspaceNames()
	if len(names) > 0 && !slices.Contains(names, s.gui.workspace) {
		s.gui.workspace = names[0]
		s.gui.focused = -1
	}
}

// SwitchWorkspace is what SwitchToWorkspace does in the GUI: show name,
// creating it with a new window running the default program if it does not
// exist.
func (s *Server) SwitchWorkspace(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.switchWorkspace(name)
}

func (s *Server) switchWorkspace(name string) error {
	if s.gui == nil {
		return errors.New("no GUI client is attached")
	}
	if err := s.ensureWorkspace(name); err != nil {
		return err
	}
	if s.gui.workspace != name {
		s.showWorkspace(s.gui.workspace, name)
	}
	s.gui.workspace = name
	s.gui.focused = -1
	s.guiFocus() // the switch repaints: the focus is the shown active pane
	s.gui.lastInput = time.Now()
	return nil
}

// EnsureWorkspace creates workspace name, with one window running the
// default program, unless it exists.
func (s *Server) EnsureWorkspace(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ensureWorkspace(name)
}

func (s *Server) ensureWorkspace(name string) error {
	if slices.Contains(s.workspaceNames(), name) {
		return nil
	}
	// A workspace made by the GUI (at start, or SwitchToWorkspace): its
	// window is shown, at the GUI's size.
	w := s.newWindow(name, initialCols, initialRows)
	p, err := s.newPane(nil, "", w.cols, w.rows)
	if err != nil {
		delete(s.windows, w.id)
		return err
	}
	s.newTab(w, p)
	s.guiResize(w)
	s.fixGUI()
	return nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}
