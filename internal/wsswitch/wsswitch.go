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

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// UserVar is the user var the snippet reacts to.
const UserVar = "switch_workspace"

// Marker is in the snippet, so doctor can find it in wezterm.lua.
const Marker = "wezterm-parallel: workspace switching"

// ErrSnippetMissing means the GUI did not follow: wezterm.lua lacks the
// snippet (or WezTerm has not reloaded its config).
var ErrSnippetMissing = errors.New("WezTerm did not switch: add the snippet from `wezterm-parallel lua` to your wezterm.lua")

// ErrNoGUI means no WezTerm GUI is attached (a headless mux server).
var ErrNoGUI = errors.New("no WezTerm GUI is attached")

// Snippet is the Lua to add to wezterm.lua. On Windows (no ttys) it polls a
// request file on WezTerm's status tick instead.
func Snippet(windows bool) string {
	if windows {
		return fmt.Sprintf(`-- %s (Windows: a request file read on every status update)
local wezterm = require 'wezterm'
wezterm.on('update-status', function(window, pane)
  local path = %q
  local f = io.open(path, 'r')
  if f then
    local name = f:read('*l')
    f:close()
    os.remove(path)
    if name and name ~= '' then
      window:perform_action(wezterm.action.SwitchToWorkspace { name = name }, pane)
    end
  end
end)
`, Marker, RequestFile())
	}
	return fmt.Sprintf(`-- %s
local wezterm = require 'wezterm'
wezterm.on('user-var-changed', function(window, pane, name, value)
  if name == %q then
    window:perform_action(wezterm.action.SwitchToWorkspace { name = value }, pane)
  end
end)
`, Marker, UserVar)
}

// RequestFile is where the Windows variant leaves the workspace to switch to.
func RequestFile() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.ToSlash(filepath.Join(dir, "wezterm-parallel", "switch-workspace"))
}

// Sequence is the escape sequence that sets the user var to workspace.
func Sequence(workspace string) string {
	return "\x1b]1337;SetUserVar=" + UserVar + "=" + base64.StdEncoding.EncodeToString([]byte(workspace)) + "\x07"
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
	// Wait is how long the GUI gets to follow (default 2 s).
	Wait time.Duration
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
	if gui.Workspace == workspace {
		return nil
	}
	if err := s.request(ctx, gui, workspace); err != nil {
		return fmt.Errorf("switch workspace to %q: %w", workspace, err)
	}
	wait := s.Wait
	if wait == 0 {
		wait = 2 * time.Second
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
		return os.WriteFile(path, []byte(workspace+"\n"), 0o600)
	}
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
		err := writeTTY(p.TTY(), Sequence(workspace))
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

// FindSnippet looks for the snippet in the usual wezterm.lua places and
// returns the file holding it, or "".
func FindSnippet(getenv func(string) string) (found string, looked []string) {
	home, _ := os.UserHomeDir()
	var paths []string
	if p := getenv("WEZTERM_CONFIG_FILE"); p != "" {
		paths = append(paths, p)
	}
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	paths = append(paths, filepath.Join(xdg, "wezterm", "wezterm.lua"), filepath.Join(home, ".wezterm.lua"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err == nil && (strings.Contains(string(data), Marker) || strings.Contains(string(data), UserVar)) {
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
