// Package wezterm is a typed client for `wezterm cli`. It only builds argv
// and parses output; a command.Runner runs the program. Every call passes
// --no-auto-start before the subcommand (so a probe never starts a hidden
// mux server), explicit ids (never WezTerm's focus guess), and a child
// environment without WEZTERM_PANE.
package wezterm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
)

// DefaultTimeout bounds each wezterm call.
const DefaultTimeout = 5 * time.Second

// Client talks to one wezterm binary.
type Client struct {
	bin     string
	run     command.Runner
	timeout time.Duration
	env     []string

	mu      sync.Mutex
	version *Version

	// discovery: the GUI on screen when the environment points elsewhere
	// (see findGUI); guarded by envMu.
	envMu      sync.Mutex
	discovered bool
	note       string
	noDiscover bool
	log        *slog.Logger
}

// Option configures a Client.
type Option func(*Client)

// WithTimeout sets the per-call timeout.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithLogger logs the client's choices (another socket than the
// environment's) there; default: nowhere.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithoutDiscovery keeps the environment's WezTerm even when it does not
// answer (see Client.findGUI).
func WithoutDiscovery() Option { return func(c *Client) { c.noDiscover = true } }

// WithVersion skips `wezterm --version` detection.
func WithVersion(v Version) Option { return func(c *Client) { c.version = &v } }

// WithEnv sets the base environment (default os.Environ()); WEZTERM_PANE is
// removed from it in any case.
func WithEnv(env []string) Option {
	return func(c *Client) { c.env = command.EnvWithout(env, "WEZTERM_PANE") }
}

// New returns a client for the wezterm binary bin ("wezterm" to search PATH).
func New(bin string, run command.Runner, opts ...Option) *Client {
	if bin == "" {
		bin = "wezterm"
	}
	c := &Client{bin: bin, run: run, timeout: DefaultTimeout}
	for _, o := range opts {
		o(c)
	}
	if c.env == nil {
		// An app started from inside a WezTerm pane inherits WEZTERM_PANE,
		// which would silently retarget calls that lack an id.
		c.env = command.EnvWithout(nil, "WEZTERM_PANE")
	}
	return c
}

// Bin returns the binary this client runs.
func (c *Client) Bin() string { return c.bin }

// Env returns the environment its calls run with (so a WezTerm started for
// it listens where it looks: the same WEZTERM_UNIX_SOCKET and display).
func (c *Client) Env() []string {
	c.envMu.Lock()
	defer c.envMu.Unlock()
	return append([]string(nil), c.env...)
}

// Endpoint says where the client's calls go now, and Note why, when the
// client chose another WezTerm than its environment named.
func (c *Client) Endpoint() (Endpoint, string) {
	env := c.Env()
	c.envMu.Lock()
	note := c.note
	c.envMu.Unlock()
	return Resolve(envGetter(env)), note
}

// hasClients asks the current socket for its clients (c.envMu held).
func (c *Client) hasClients() bool {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	res, err := c.run.Run(ctx, command.Cmd{Args: []string{c.bin, "cli", "--no-auto-start", "list-clients", "--format", "json"},
		Env: c.env, Timeout: c.timeout})
	if err != nil {
		return false
	}
	cs, err := ParseClients(res.Stdout)
	return err == nil && len(cs) > 0
}

// findGUI moves the client to the GUI on screen when its environment
// leads `wezterm cli` elsewhere (issue 19):
//   - a stale WEZTERM_UNIX_SOCKET (inherited from a pane of a GUI that has
//     since restarted, e.g. by a tray started from a pane) or a stale GUI
//     link: every call would fail while WezTerm is open;
//   - no GUI link (GUIs started with --class, --config-file,
//     --always-new-process or `wezterm connect` publish none): the CLI
//     falls back to the mux server socket, which fails, or — worse — is
//     answered by a hidden wezterm-mux-server whose panes nobody sees.
//
// In those cases, when a GUI socket in WezTerm's runtime folder answers
// (the newest), calls go there with WEZTERM_UNIX_SOCKET set to it. It is
// decided once, at the first call, and again after a call finds nothing
// running. force: the last call failed as not running.
func (c *Client) findGUI(force bool) {
	if c.noDiscover || runtime.GOOS == "windows" {
		return
	}
	c.envMu.Lock()
	defer c.envMu.Unlock()
	if c.discovered && !force {
		return
	}
	c.discovered = true
	get := envGetter(c.env)
	cur := Resolve(get)
	if cur.Live && !cur.IsMux() {
		return
	}
	if cur.Live && cur.Via == "WEZTERM_UNIX_SOCKET" {
		return // a socket named on purpose that answers: a mux server or the stand-in
	}
	live := LiveGUISockets(get)
	if len(live) == 0 {
		return
	}
	if cur.Live && c.hasClients() {
		// A mux server something shows: a GUI attached with `wezterm
		// connect` (its own socket lists its local copies of the panes,
		// without ttys). Keep the mux server.
		return
	}
	why := "does not answer"
	if cur.Live {
		why = "is a mux server's, not the GUI's on screen"
	}
	c.note = fmt.Sprintf("%s (%s) %s; using the GUI socket %s", cur.Socket, cur.Via, why, live[0].Socket)
	if c.log != nil {
		c.log.Info("wezterm: using another socket", "from", cur.Socket, "via", cur.Via, "to", live[0].Socket, "why", why)
	}
	c.env = withEnv(c.env, "WEZTERM_UNIX_SOCKET", live[0].Socket)
}

// Version runs `wezterm --version` once and caches the answer.
func (c *Client) Version(ctx context.Context) (Version, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != nil {
		return *c.version, nil
	}
	res, err := c.run.Run(ctx, command.Cmd{Args: []string{c.bin, "--version"}, Env: c.Env(), Timeout: c.timeout})
	if err != nil {
		return Version{}, classify("wezterm --version", err)
	}
	v := ParseVersion(string(res.Stdout))
	if v.Raw == "" {
		return Version{}, &Error{Op: "wezterm --version", Kind: ErrMalformed, Reason: "empty version output"}
	}
	c.version = &v
	return v, nil
}

// require fails with an *UnsupportedError, before running anything, when the
// installed release lacks f.
func (c *Client) require(ctx context.Context, fs ...Feature) error {
	v, err := c.Version(ctx)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if !v.Has(f) {
			return &UnsupportedError{Feature: f, Installed: v.Raw, Since: Since(f)}
		}
	}
	return nil
}

// cli runs `wezterm cli --no-auto-start <args>` and returns stdout.
func (c *Client) cli(ctx context.Context, op string, args ...string) (string, error) {
	return c.cliIn(ctx, op, nil, args...)
}

// cliIn is cli with stdin.
func (c *Client) cliIn(ctx context.Context, op string, stdin []byte, args ...string) (string, error) {
	return c.cliWith(ctx, op, nil, stdin, args...)
}

// cliWith is cli with global flags (before `cli`) and stdin.
func (c *Client) cliWith(ctx context.Context, op string, global []string, stdin []byte, args ...string) (string, error) {
	argv := append(append(append([]string{c.bin}, global...), "cli", "--no-auto-start"), args...)
	c.findGUI(false)
	res, err := c.run.Run(ctx, command.Cmd{Args: argv, Env: c.Env(), Timeout: c.timeout, Stdin: stdin})
	if err != nil {
		err = classify(op, err)
		if errors.Is(err, ErrNotRunning) {
			before := c.Env()
			c.findGUI(true)
			if after := c.Env(); !slices.Equal(before, after) {
				res, err = c.run.Run(ctx, command.Cmd{Args: argv, Env: after, Timeout: c.timeout, Stdin: stdin})
				if err != nil {
					return "", classify(op, err)
				}
				return string(res.Stdout), nil
			}
		}
		return "", err
	}
	return string(res.Stdout), nil
}

func id[T ~uint64](v T) string { return strconv.FormatUint(uint64(v), 10) }

// List returns every pane (`list --format json`; the table on releases
// before JSON existed).
func (c *Client) List(ctx context.Context) ([]Pane, error) {
	v, err := c.Version(ctx)
	if err != nil {
		return nil, err
	}
	if !v.Has(FeatListJSON) {
		out, err := c.cli(ctx, "list", "list")
		if err != nil {
			return nil, err
		}
		panes, err := ParseListTable(out)
		if err != nil {
			return nil, &Error{Op: "list", Kind: ErrMalformed, Reason: err.Error(), Err: err}
		}
		return panes, nil
	}
	out, err := c.cli(ctx, "list", "list", "--format", "json")
	if err != nil {
		return nil, err
	}
	panes, err := ParseList([]byte(out))
	if err != nil {
		return nil, &Error{Op: "list", Kind: ErrMalformed, Reason: err.Error(), Err: err}
	}
	return panes, nil
}

// ListClients returns the attached clients (a GUI is one of them).
func (c *Client) ListClients(ctx context.Context) ([]ClientInfo, error) {
	if err := c.require(ctx, FeatListClients, FeatListJSON); err != nil {
		return nil, err
	}
	out, err := c.cli(ctx, "list-clients", "list-clients", "--format", "json")
	if err != nil {
		return nil, err
	}
	cs, err := ParseClients([]byte(out))
	if err != nil {
		return nil, &Error{Op: "list-clients", Kind: ErrMalformed, Reason: err.Error(), Err: err}
	}
	return cs, nil
}

// SpawnOptions are the flags of `spawn`. Exactly one target applies:
// NewWindow (optionally in Workspace), WindowID (a tab in that window), or
// PaneID (a tab in that pane's window). With none, NewWindow is implied so
// that WezTerm never guesses from focus.
type SpawnOptions struct {
	PaneID     *PaneID
	WindowID   *WindowID
	NewWindow  bool
	Workspace  string // needs NewWindow (WezTerm ignores it otherwise)
	CWD        string
	DomainName string
	Program    []string // argv; empty = the default shell
	// InitialCols×InitialRows is the size of a new window (NewWindow
	// only; 0 = the user's initial_cols/initial_rows, 80×24 by default).
	// WezTerm sizes a new mux window from the CLI's own config, and the
	// GUI resizes a window only while its workspace is shown — one cell at
	// a time, alternating sides, not in proportion — so a layout split in
	// a hidden 80×24 window comes out lopsided when it is shown. Passing
	// the size of a window the GUI shows keeps the split as planned.
	InitialCols, InitialRows int
}

// Spawn runs `spawn` and returns the new pane's id.
func (c *Client) Spawn(ctx context.Context, o SpawnOptions) (PaneID, error) {
	feats := []Feature{}
	if o.Workspace != "" {
		feats = append(feats, FeatSpawnWorkspace)
	}
	args := []string{"spawn"}
	switch {
	case o.WindowID != nil:
		if o.NewWindow || o.Workspace != "" {
			return 0, fmt.Errorf("spawn: --window-id conflicts with a new window or workspace")
		}
		args = append(args, "--window-id", id(*o.WindowID))
	case o.PaneID != nil && !o.NewWindow:
		if o.Workspace != "" {
			return 0, fmt.Errorf("spawn: --workspace needs a new window")
		}
		args = append(args, "--pane-id", id(*o.PaneID))
	default:
		feats = append(feats, FeatSpawnNewWindow)
		args = append(args, "--new-window")
		if o.Workspace != "" {
			args = append(args, valueFlag("--workspace", o.Workspace)...)
		}
	}
	if err := c.require(ctx, feats...); err != nil {
		return 0, err
	}
	if o.DomainName != "" {
		args = append(args, valueFlag("--domain-name", o.DomainName)...)
	}
	if o.CWD != "" {
		args = append(args, valueFlag("--cwd", o.CWD)...)
	}
	if len(o.Program) > 0 {
		args = append(append(args, "--"), o.Program...)
	}
	var global []string
	if o.InitialCols > 0 && o.InitialRows > 0 && (o.NewWindow || o.WindowID == nil && o.PaneID == nil) {
		// spawn is one of the two subcommands that load the config, with
		// these overrides (wezterm/src/main.rs, cli/mod.rs init_config).
		global = []string{"--config", "initial_cols=" + strconv.Itoa(o.InitialCols),
			"--config", "initial_rows=" + strconv.Itoa(o.InitialRows)}
	}
	out, err := c.cliWith(ctx, "spawn", global, nil, args...)
	if err != nil {
		return 0, err
	}
	return parsePaneID("spawn", out)
}

// Direction is a split or pane direction.
type Direction string

// Directions accepted by split-pane, activate-pane-direction,
// get-pane-direction and adjust-pane-size (Next/Prev only by the first two).
const (
	Left  Direction = "Left"
	Right Direction = "Right"
	Up    Direction = "Up"
	Down  Direction = "Down"
	Next  Direction = "Next"
	Prev  Direction = "Prev"
)

// SplitOptions are the flags of `split-pane`.
type SplitOptions struct {
	// Direction of the new pane: Left, Right, Up (--top) or Down (--bottom,
	// WezTerm's default). "" means Down.
	Direction  Direction
	Percent    int // 1..99; 0 = WezTerm's default (50)
	Cells      int // exclusive with Percent
	TopLevel   bool
	CWD        string
	MovePaneID *PaneID // move this existing pane instead of spawning
	Program    []string
}

// SplitPane splits pane and returns the new pane's id.
func (c *Client) SplitPane(ctx context.Context, pane PaneID, o SplitOptions) (PaneID, error) {
	op := "split-pane " + id(pane)
	switch {
	case o.Direction != "" && checkDir(o.Direction, false) != nil:
		return 0, fmt.Errorf("%s: invalid direction %q", op, o.Direction)
	case o.Percent != 0 && o.Cells != 0:
		return 0, fmt.Errorf("%s: percent and cells are exclusive", op)
	case o.Percent < 0 || o.Percent > 99:
		return 0, fmt.Errorf("%s: percent %d out of 1..99", op, o.Percent)
	case o.Cells < 0:
		return 0, fmt.Errorf("%s: negative cells", op)
	case o.MovePaneID != nil && (o.CWD != "" || len(o.Program) > 0):
		return 0, fmt.Errorf("%s: move-pane-id conflicts with cwd and program", op)
	}
	v, err := c.Version(ctx)
	if err != nil {
		return 0, err
	}
	// Releases before 20220624 know only --horizontal (= right) and the
	// default (bottom); use those when they say the same thing.
	modern := v.Has(FeatSplitDirections)
	args := []string{"split-pane", "--pane-id", id(pane)}
	var needModern bool
	switch o.Direction {
	case "":
	case Down:
		if modern {
			args = append(args, "--bottom")
		}
	case Right:
		if modern {
			args = append(args, "--right")
		} else {
			args = append(args, "--horizontal")
		}
	case Up:
		args, needModern = append(args, "--top"), true
	case Left:
		args, needModern = append(args, "--left"), true
	}
	if needModern || o.TopLevel || o.Cells > 0 || o.Percent > 0 {
		if err := c.require(ctx, FeatSplitDirections); err != nil {
			return 0, err
		}
	}
	if o.MovePaneID != nil {
		// Broken (it can kill panes) until a nightly of 2024-08-25.
		if err := c.require(ctx, FeatMovePaneID); err != nil {
			return 0, err
		}
	}
	if o.TopLevel {
		args = append(args, "--top-level")
	}
	if o.Percent > 0 {
		args = append(args, "--percent", strconv.Itoa(o.Percent))
	}
	if o.Cells > 0 {
		args = append(args, "--cells", strconv.Itoa(o.Cells))
	}
	if o.CWD != "" {
		args = append(args, valueFlag("--cwd", o.CWD)...)
	}
	if o.MovePaneID != nil {
		args = append(args, "--move-pane-id", id(*o.MovePaneID))
	}
	if len(o.Program) > 0 {
		args = append(append(args, "--"), o.Program...)
	}
	out, err := c.cli(ctx, op, args...)
	if err != nil {
		return 0, err
	}
	return parsePaneID(op, out)
}

func parsePaneID(op, out string) (PaneID, error) {
	s := strings.TrimSpace(out)
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, &Error{Op: op, Kind: ErrMalformed, Reason: fmt.Sprintf("expected a pane id, got %q", head([]byte(s)))}
	}
	return PaneID(n), nil
}

// SendText writes text to pane. With paste, WezTerm pastes it (bracketed
// when the program asked for it, so a shell does not run it); without,
// the bytes go to the pty as typed — end with "\r" to run a command.
func (c *Client) SendText(ctx context.Context, pane PaneID, text string, paste bool) error {
	feats := []Feature{FeatSendText}
	args := []string{"send-text", "--pane-id", id(pane)}
	if !paste {
		feats = append(feats, FeatSendTextNoPaste)
		args = append(args, "--no-paste")
	}
	if err := c.require(ctx, feats...); err != nil {
		return err
	}
	// The text goes on stdin (send-text reads it when TEXT is omitted):
	// argv is visible to every local user in ps and capped at 128 KiB on
	// Linux; stdin is neither.
	_, err := c.cliIn(ctx, "send-text "+id(pane), []byte(text), args...)
	return err
}

// GetTextOptions select lines: 0 is the top of the visible screen, negative
// numbers reach into scrollback. nil means WezTerm's default (the screen).
type GetTextOptions struct {
	StartLine *int
	EndLine   *int
	Escapes   bool
}

// GetText returns the text of pane.
func (c *Client) GetText(ctx context.Context, pane PaneID, o GetTextOptions) (string, error) {
	if err := c.require(ctx, FeatGetText); err != nil {
		return "", err
	}
	args := []string{"get-text", "--pane-id", id(pane)}
	// "--flag=value" so that negative numbers cannot be taken for flags.
	if o.StartLine != nil {
		args = append(args, "--start-line="+strconv.Itoa(*o.StartLine))
	}
	if o.EndLine != nil {
		args = append(args, "--end-line="+strconv.Itoa(*o.EndLine))
	}
	if o.Escapes {
		args = append(args, "--escapes")
	}
	return c.cli(ctx, "get-text "+id(pane), args...)
}

// ActivatePane focuses pane within its window (it does not switch the GUI's
// workspace nor raise the OS window).
func (c *Client) ActivatePane(ctx context.Context, pane PaneID) error {
	if err := c.require(ctx, FeatActivatePane); err != nil {
		return err
	}
	_, err := c.cli(ctx, "activate-pane "+id(pane), "activate-pane", "--pane-id", id(pane))
	return err
}

func checkDir(d Direction, allowNextPrev bool) error {
	switch d {
	case Left, Right, Up, Down:
		return nil
	case Next, Prev:
		if allowNextPrev {
			return nil
		}
	}
	return fmt.Errorf("invalid direction %q", d)
}

// KillPane kills pane and its program at once (WezTerm does not confirm).
func (c *Client) KillPane(ctx context.Context, pane PaneID) error {
	if err := c.require(ctx, FeatKillPane); err != nil {
		return err
	}
	_, err := c.cli(ctx, "kill-pane "+id(pane), "kill-pane", "--pane-id", id(pane))
	return err
}

// ZoomMode is the action of zoom-pane.
type ZoomMode string

// Zoom modes.
const (
	Zoom       ZoomMode = "--zoom"
	Unzoom     ZoomMode = "--unzoom"
	ToggleZoom ZoomMode = "--toggle"
)

// ZoomPane zooms, unzooms or toggles the zoom of pane.
func (c *Client) ZoomPane(ctx context.Context, pane PaneID, m ZoomMode) error {
	switch m {
	case Zoom, Unzoom, ToggleZoom:
	default:
		return fmt.Errorf("zoom-pane: invalid mode %q", m)
	}
	if err := c.require(ctx, FeatZoomPane); err != nil {
		return err
	}
	_, err := c.cli(ctx, "zoom-pane "+id(pane), "zoom-pane", "--pane-id", id(pane), string(m))
	return err
}

// MoveOptions say where move-pane-to-new-tab puts the pane: a new tab in
// WindowID, or in a new window (in Workspace), or in the pane's own window.
type MoveOptions struct {
	WindowID  *WindowID
	NewWindow bool
	Workspace string
}

// MovePaneToNewTab moves pane into a new tab. WezTerm prints nothing, so
// callers find the new tab with List.
func (c *Client) MovePaneToNewTab(ctx context.Context, pane PaneID, o MoveOptions) error {
	if err := c.require(ctx, FeatMovePaneToNewTab); err != nil {
		return err
	}
	args := []string{"move-pane-to-new-tab", "--pane-id", id(pane)}
	switch {
	case o.WindowID != nil && o.NewWindow:
		return fmt.Errorf("move-pane-to-new-tab: window id conflicts with a new window")
	case o.WindowID != nil:
		args = append(args, "--window-id", id(*o.WindowID))
	case o.NewWindow:
		args = append(args, "--new-window")
		if o.Workspace != "" {
			args = append(args, valueFlag("--workspace", o.Workspace)...)
		}
	}
	_, err := c.cli(ctx, "move-pane-to-new-tab "+id(pane), args...)
	return err
}

// SetTabTitle sets the title of tab (or of pane's tab when tab is nil).
func (c *Client) SetTabTitle(ctx context.Context, tab *TabID, pane *PaneID, title string) error {
	if err := c.require(ctx, FeatSetTabTitle); err != nil {
		return err
	}
	args := []string{"set-tab-title"}
	switch {
	case tab != nil:
		args = append(args, "--tab-id", id(*tab))
	case pane != nil:
		args = append(args, "--pane-id", id(*pane))
	default:
		return fmt.Errorf("set-tab-title: needs a tab id or a pane id")
	}
	_, err := c.cli(ctx, "set-tab-title", append(args, "--", title)...)
	return err
}

// RenameWorkspace renames the workspace old (or pane's workspace when old is
// "") to newName.
func (c *Client) RenameWorkspace(ctx context.Context, old string, pane *PaneID, newName string) error {
	if err := c.require(ctx, FeatRenameWorkspace); err != nil {
		return err
	}
	if newName == "" {
		return fmt.Errorf("rename-workspace: empty new name")
	}
	args := []string{"rename-workspace"}
	switch {
	case old != "":
		args = append(args, valueFlag("--workspace", old)...)
	case pane != nil:
		args = append(args, "--pane-id", id(*pane))
	default:
		return fmt.Errorf("rename-workspace: needs a workspace or a pane id")
	}
	_, err := c.cli(ctx, "rename-workspace", append(args, "--", newName)...)
	return err
}

// Ptr returns a pointer to v, for the optional fields above.
func Ptr[T any](v T) *T { return &v }

// valueFlag is a flag with its value: a value that starts with "-" goes as
// --flag=value, since clap reads `--workspace -x` as a missing value.
func valueFlag(flag, v string) []string {
	if strings.HasPrefix(v, "-") {
		return []string{flag + "=" + v}
	}
	return []string{flag, v}
}
