// Package wsswitch switches the WezTerm GUI's workspace from outside, which
// no `wezterm cli` subcommand can do (../shared/wezterm-cli.md §7). A Lua
// snippet in wezterm.lua switches on a user var; the switcher makes a pane
// of the visible workspace emit that user var by writing the OSC 1337
// SetUserVar sequence to the pane's tty (what a program printing it would
// do), then checks with list-clients that the GUI followed.
package wsswitch

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// UserVar is the user var the snippet reacts to: namespaced, since
// "switch_workspace" is a name many configs already use for their own
// handlers (some with other value formats).
const UserVar = "wezterm_parallel_switch"

// LegacyUserVar is what snippets installed before the rename react to;
// the switcher uses it only when the installed module is such an old one.
const LegacyUserVar = "switch_workspace"

// PingVar asks the snippet to prove that WezTerm loaded it: its handler
// writes the value (a hex nonce), the config file WezTerm loaded and its
// version to PongFile.
const PingVar = "wezterm_parallel_ping"

// Marker is in the snippet, so doctor can find it in wezterm.lua.
const Marker = "wezterm-parallel: workspace switching"

// ErrSnippetMissing means the GUI did not follow: wezterm.lua lacks the
// snippet (or WezTerm has not reloaded its config).
var ErrSnippetMissing = errors.New("WezTerm did not switch: add the snippet from `wezterm-parallel lua` to your wezterm.lua")

// ErrWorkspaceUnknown means the GUI reports no workspace: one attached
// with `wezterm connect` (the mux server never learns a remote client's
// active workspace), so a switch can be neither aimed nor checked.
var ErrWorkspaceUnknown = errors.New("the WezTerm GUI reports no workspace (attached with `wezterm connect`?): its workspace cannot be switched from outside")

// ErrNoGUI means no WezTerm GUI is attached (a headless mux server).
var ErrNoGUI = errors.New("no WezTerm GUI is attached")

// Snippet is the Lua module's body. Its handler runs first among the
// user's (the require goes at the top of wezterm.lua: WezTerm stops calling
// handlers at the first one that errors or returns false), switches inside
// pcall and logs a failure to WezTerm's log. On Windows (no ttys) it polls
// a request file on every status update instead, and writes the status
// interval it runs at (the switcher waits accordingly).
func Snippet(windows bool) string {
	if windows {
		return fmt.Sprintf(`-- %s (Windows: a request file read on every status update)
local wezterm = require 'wezterm'
local seen_interval = false
wezterm.on('update-status', function(window, pane)
  if not seen_interval then
    seen_interval = true
    local f = io.open(%s, 'w')
    if f then
      f:write(tostring(window:effective_config().status_update_interval), '\n')
      f:close()
    end
  end
  local path = %s
  local f = io.open(path, 'r')
  if f then
    local name = f:read('*l')
    f:close()
    os.remove(path)
    if name and name ~= '' then
      local ok, err = pcall(function()
        window:perform_action(wezterm.action.SwitchToWorkspace { name = name }, pane)
      end)
      if not ok then wezterm.log_error('wezterm-parallel: switch to ' .. name .. ': ' .. tostring(err)) end
    end
  end
end)
`, Marker, luaQuote(IntervalFile()), luaQuote(RequestFile()))
	}
	return fmt.Sprintf(`-- %s
local wezterm = require 'wezterm'
wezterm.on('user-var-changed', function(window, pane, name, value)
  if name == %s then
    local ok, err = pcall(function()
      window:perform_action(wezterm.action.SwitchToWorkspace { name = value }, pane)
    end)
    if not ok then wezterm.log_error('wezterm-parallel: switch to ' .. value .. ': ' .. tostring(err)) end
  elseif name == %s and value:match('^%%x+$') then
    local f = io.open(%s, 'w')
    if f then
      f:write(value, '\n', wezterm.config_file or '', '\n', wezterm.version, '\n')
      f:close()
    end
  end
end)
`, Marker, luaQuote(UserVar), luaQuote(PingVar), luaQuote(PongFile()))
}

// stateDir is where the snippet and the app leave files for each other.
func stateDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "wezterm-parallel")
}

// RequestFile is where the Windows variant leaves the workspace to switch to.
func RequestFile() string { return filepath.ToSlash(filepath.Join(stateDir(), "switch-workspace")) }

// IntervalFile is where the Windows variant writes its status_update_interval (ms).
func IntervalFile() string { return filepath.ToSlash(filepath.Join(stateDir(), "status-interval")) }

// PongFile is where the snippet answers a ping.
func PongFile() string { return filepath.ToSlash(filepath.Join(stateDir(), "snippet-pong")) }

// Sequence is the escape sequence that sets the user var to workspace.
func Sequence(workspace string) string { return SetUserVar(UserVar, workspace) }

// SetUserVar is the OSC 1337 sequence that sets a user var.
func SetUserVar(name, value string) string {
	return "\x1b]1337;SetUserVar=" + name + "=" + base64.StdEncoding.EncodeToString([]byte(value)) + "\x07"
}

// Client is what the switcher needs from WezTerm.
type Client interface {
	List(ctx context.Context) ([]wezterm.Pane, error)
	ListClients(ctx context.Context) ([]wezterm.ClientInfo, error)
}

// Switcher switches workspaces.
type Switcher struct {
	C Client
	// Foreground names the foreground program of each pane (nil: no
	// preference among panes); ProcForeground reads it from the system.
	Foreground func(ctx context.Context, panes []wezterm.Pane) map[wezterm.PaneID]string
	// Wait is how long the GUI gets to follow (default 2 s; on Windows two
	// status intervals more, as the snippet reports it).
	Wait time.Duration
	// Legacy: the installed module reacts to LegacyUserVar (installed
	// before the rename); LegacyInstalled tells.
	Legacy bool
}

// Switch makes the GUI show workspace (WezTerm creates it if missing).
func (s *Switcher) Switch(ctx context.Context, workspace string) error {
	if strings.TrimSpace(workspace) == "" {
		return fmt.Errorf("switch workspace: empty name")
	}
	// The snippet reacts to the user-var-changed event (20220903): an older
	// WezTerm cannot be switched from outside at all.
	if vc, ok := s.C.(interface {
		Version(context.Context) (wezterm.Version, error)
	}); ok {
		if v, err := vc.Version(ctx); err == nil && !v.Has(wezterm.FeatUserVarChanged) {
			return fmt.Errorf("switch workspace: %w", &wezterm.UnsupportedError{Feature: wezterm.FeatUserVarChanged,
				Installed: v.Raw, Since: wezterm.Since(wezterm.FeatUserVarChanged)})
		}
	}
	clients, err := s.C.ListClients(ctx)
	if err != nil {
		return fmt.Errorf("switch workspace: %w", err)
	}
	gui, ok := wezterm.GUIClient(clients)
	if !ok {
		return fmt.Errorf("switch workspace: %w", ErrNoGUI)
	}
	if gui.Workspace == "" {
		return fmt.Errorf("switch workspace: %w", ErrWorkspaceUnknown)
	}
	if gui.Workspace == workspace {
		return nil
	}
	if err := s.request(ctx, gui, workspace); err != nil {
		return fmt.Errorf("switch workspace to %q: %w", workspace, err)
	}
	wait := s.Wait
	if wait == 0 {
		wait = defaultWait(runtime.GOOS)
	}
	deadline := time.Now().Add(wait)
	for {
		clients, err := s.C.ListClients(ctx)
		if err == nil {
			if g, ok := wezterm.GUIClient(clients); ok && g.Workspace == workspace {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("switch workspace to %q: %w", workspace, ErrSnippetMissing)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// request asks the snippet to switch: the escape written to the tty of a
// pane the GUI shows, or the request file on Windows. The pane is chosen so
// the sequence arrives whole (wezterm-cli.md §9): first a pane whose
// foreground program is a shell waiting at its prompt (nothing else writes
// there meanwhile), the GUI's focused pane before others; a pane that
// refuses the write (not a terminal of this user, stopped) passes the turn
// to the next.
func (s *Switcher) request(ctx context.Context, gui wezterm.ClientInfo, workspace string) error {
	if runtime.GOOS == "windows" {
		path := RequestFile()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		// Whole or not at all: a status tick must never read it half
		// written (and delete it).
		return config.AtomicWriter{}.WriteFile(path, []byte(workspace+"\n"), 0o600)
	}
	seq := Sequence(workspace)
	if s.Legacy {
		seq = SetUserVar(LegacyUserVar, workspace)
	}
	return s.send(ctx, gui, seq)
}

// send writes seq to the tty of a pane the GUI shows (see request).
func (s *Switcher) send(ctx context.Context, gui wezterm.ClientInfo, seq string) error {
	panes, err := s.C.List(ctx)
	if err != nil {
		return err
	}
	var cands []wezterm.Pane
	seen := false
	for _, p := range panes {
		if p.Workspace != gui.Workspace {
			continue
		}
		seen = true
		if p.TTY() != "" {
			cands = append(cands, p)
		}
	}
	switch {
	case len(cands) == 0 && seen:
		// `wezterm connect` GUIs show a mux server's panes: no local ttys.
		return fmt.Errorf("%w: the panes of workspace %q have no local tty (a GUI attached with `wezterm connect`?)", ErrNoTTY, gui.Workspace)
	case len(cands) == 0:
		return fmt.Errorf("%w: no pane in the visible workspace %q", ErrNoTTY, gui.Workspace)
	}
	fg := map[wezterm.PaneID]string{}
	if s.Foreground != nil {
		fg = s.Foreground(ctx, cands)
	}
	rank := func(p wezterm.Pane) int {
		r := 0
		if !IsShell(fg[p.PaneID]) {
			r += 2
		}
		if gui.FocusedPaneID == nil || p.PaneID != *gui.FocusedPaneID {
			r++
		}
		return r
	}
	sort.SliceStable(cands, func(i, j int) bool { return rank(cands[i]) < rank(cands[j]) })
	var errs []error
	for _, p := range cands {
		err := writeTTY(p.TTY(), seq)
		if err == nil {
			return nil
		}
		errs = append(errs, fmt.Errorf("pane %d: %w", p.PaneID, err))
	}
	return errors.Join(errs...)
}

// ErrNoTTY means no pane of the visible workspace has a tty to write to.
var ErrNoTTY = errors.New("no tty to reach WezTerm through")

// shells are the programs that, in the foreground, mean a prompt.
var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "fish": true, "dash": true, "ksh": true,
	"mksh": true, "oksh": true, "loksh": true, "yash": true, "ash": true, "tcsh": true, "csh": true,
	"nu": true, "elvish": true, "xonsh": true, "pwsh": true}

// IsShell reports whether a process name is an interactive shell's.
func IsShell(name string) bool { return shells[strings.TrimPrefix(filepath.Base(name), "-")] }

// ProcForeground answers Switcher.Foreground from the process table.
func ProcForeground(ctx context.Context, panes []wezterm.Pane) map[wezterm.PaneID]string {
	refs := make([]metrics.PaneRef, len(panes))
	for i, p := range panes {
		refs[i] = metrics.PaneRef{ID: p.PaneID, TTY: p.TTY()}
	}
	fg, err := metrics.Foregrounds(ctx, refs)
	out := map[wezterm.PaneID]string{}
	if err != nil {
		return out
	}
	for id, p := range fg {
		out[id] = p.Name
	}
	return out
}

// FindSnippet looks for the snippet where WezTerm looks for its config,
// in WezTerm's order (since 20230320: $WEZTERM_CONFIG_FILE, ~/.wezterm.lua,
// then $XDG_CONFIG_HOME/wezterm/wezterm.lua), and returns the file holding
// it, or "". Only the marker or the module's name count: a config that
// merely mentions a user var of the same name is someone else's handler.
func FindSnippet(getenv func(string) string) (found string, looked []string) {
	home, _ := os.UserHomeDir()
	paths := ConfigCandidates(getenv, home)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err == nil && (strings.Contains(string(data), Marker) || strings.Contains(string(data), ModuleName)) {
			return p, paths
		}
	}
	return "", paths
}

// JumpClient is what Jump needs.
type JumpClient interface {
	List(ctx context.Context) ([]wezterm.Pane, error)
	ActivatePane(ctx context.Context, pane wezterm.PaneID) error
}

// Jump switches the GUI to the pane's workspace when needed, then
// activates the pane. A missing snippet is reported after the pane was
// still activated within its workspace.
func Jump(ctx context.Context, c JumpClient, s *Switcher, id wezterm.PaneID) error {
	panes, err := c.List(ctx)
	if err != nil {
		return err
	}
	ws, found := "", false
	for _, p := range panes {
		if p.PaneID == id {
			ws, found = p.Workspace, true
		}
	}
	if !found {
		return fmt.Errorf("jump to pane %d: %w", id, wezterm.ErrNoSuchPane)
	}
	var serr error
	if ws != "" { // a workspace named "" cannot be asked for by name
		serr = s.Switch(ctx, ws)
	}
	if err := c.ActivatePane(ctx, id); err != nil {
		return err
	}
	if serr != nil && !errors.Is(serr, ErrNoGUI) {
		return serr
	}
	return nil
}
