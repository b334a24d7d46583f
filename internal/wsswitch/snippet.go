package wsswitch

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// luaQuote is s as a Lua string literal (Go's %q may write \uXXXX, which
// Lua 5.4 reads differently).
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// ConfigCandidates are the files WezTerm (20230320 and later) tries for
// its config, in its order (config/src/config.rs load_config): the
// environment's WEZTERM_CONFIG_FILE, ~/.wezterm.lua, then
// $XDG_CONFIG_HOME/wezterm/wezterm.lua (~/.config when unset). Releases
// before 20230320 tried the XDG file first.
func ConfigCandidates(getenv func(string) string, home string) []string {
	var paths []string
	if p := getenv("WEZTERM_CONFIG_FILE"); p != "" {
		paths = append(paths, p)
	}
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	return append(paths, filepath.Join(home, ".wezterm.lua"), filepath.Join(xdg, "wezterm", "wezterm.lua"))
}

// oldModulePath is where the module went before it moved to ~/.wezterm:
// ~/.config/wezterm is on package.path only while XDG_CONFIG_HOME is unset
// or points there, and it comes before ~/.wezterm, so an old copy there
// would shadow the new one.
func oldModulePath(home string) string {
	return filepath.Join(home, ".config", "wezterm", ModuleName+".lua")
}

// requireAtTop reports whether text already requires the module in its
// first statements (before any wezterm.on of the user's).
func requireAtTop(text string) bool {
	i := strings.Index(text, RequireLine)
	if i < 0 {
		return false
	}
	return !strings.Contains(text[:i], "wezterm.on(")
}

// withRequire is text with RequireLine as its first line after leading
// comments (a shebang, a header) and any older require of the module
// removed. The module depends on nothing in the config, and its handler
// must come before the user's: WezTerm calls user-var-changed handlers in
// the order they were added and stops at the first that errors or returns
// false (config/src/lua.rs emit_event).
func withRequire(text string) string {
	var kept []string
	for _, l := range strings.SplitAfter(text, "\n") {
		if l == "" {
			continue
		}
		if strings.Contains(l, "require") && strings.Contains(l, "'"+ModuleName+"'") && strings.Contains(l, Marker) {
			continue // our own line, from an older install
		}
		kept = append(kept, l)
	}
	at := 0
	for at < len(kept) && (strings.HasPrefix(kept[at], "#!") || strings.HasPrefix(strings.TrimSpace(kept[at]), "--") &&
		!strings.HasPrefix(strings.TrimSpace(kept[at]), "--[")) {
		at++
	}
	nl := "\n"
	if strings.Contains(text, "\r\n") {
		nl = "\r\n"
	}
	out := strings.Join(kept[:at], "") + RequireLine + nl + strings.Join(kept[at:], "")
	if text != "" && !strings.HasSuffix(text, "\n") && strings.HasSuffix(out, "\n") && len(kept) > at {
		out = strings.TrimSuffix(out, "\n")
	}
	return out
}

// LegacyInstalled reports whether the module WezTerm would load is one
// installed before the user var was namespaced (it reacts to
// LegacyUserVar): the switcher then speaks its language until `lua
// --install` replaces it.
func LegacyInstalled(home string) bool {
	for _, p := range []string{oldModulePath(home), ModulePath(home)} {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		return bytes.Contains(data, []byte(Marker)) && !bytes.Contains(data, []byte(UserVar))
	}
	return false
}

// removeOldModule deletes the module at its old place when it is ours.
func removeOldModule(home string) error {
	p := oldModulePath(home)
	data, err := os.ReadFile(p)
	if err != nil || !bytes.Contains(data, []byte(Marker)) {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the old module %s (it would shadow the new one): %w", p, err)
	}
	return nil
}

// defaultWait is how long a switch may take to show in list-clients: the
// user-var event acts at once (2 s is slack for a loaded machine); the
// Windows request file is read on the status tick, whose interval the
// snippet reports.
func defaultWait(goos string) time.Duration {
	wait := 2 * time.Second
	if goos != "windows" {
		return wait
	}
	if ms, ok := statusInterval(); ok {
		wait = max(wait, 2*ms+time.Second)
	}
	return wait
}

// statusInterval reads the status_update_interval the Windows snippet
// wrote.
func statusInterval() (time.Duration, bool) {
	data, err := os.ReadFile(filepath.FromSlash(IntervalFile()))
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(string(data)), 64)
	if err != nil || n <= 0 || n > 3_600_000 {
		return 0, false
	}
	return time.Duration(n * float64(time.Millisecond)), true
}

// ConfigSource says where a config file name came from.
type ConfigSource string

// Config sources.
const (
	FromPane  ConfigSource = "a pane's environment (the file WezTerm loaded)"
	FromOrder ConfigSource = "WezTerm's search order (no pane told)"
)

// LoadedConfig is the config file WezTerm loaded: WezTerm exports it to
// every pane it starts as WEZTERM_CONFIG_FILE (config/src/config.rs), so
// the environment of a pane's process names it (Linux: /proc; elsewhere
// the search order). ok is false when no pane has it set (WezTerm runs
// without a config file, or none could be read).
func LoadedConfig(ctx context.Context, panes []wezterm.Pane) (path string, ok bool) {
	if runtime.GOOS != "linux" {
		return "", false
	}
	refs := make([]metrics.PaneRef, 0, len(panes))
	for _, p := range panes {
		if p.TTY() != "" {
			refs = append(refs, metrics.PaneRef{ID: p.PaneID, TTY: p.TTY()})
		}
	}
	if len(refs) == 0 {
		return "", false
	}
	fg, err := metrics.Foregrounds(ctx, refs)
	if err != nil {
		return "", false
	}
	for _, r := range refs {
		f, found := fg[r.ID]
		if !found {
			continue
		}
		if v, ok := procEnv(f.PID, "WEZTERM_CONFIG_FILE"); ok && v != "" {
			return v, true
		}
	}
	return "", false
}

// procEnv reads one variable of a process's environment.
func procEnv(pid int32, name string) (string, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/environ")
	if err != nil {
		return "", false
	}
	for _, kv := range bytes.Split(data, []byte{0}) {
		if k, v, ok := bytes.Cut(kv, []byte("=")); ok && string(k) == name {
			return string(v), true
		}
	}
	return "", false
}

// Pong is the snippet's answer to a ping: proof that the GUI loaded it.
type Pong struct {
	ConfigFile string // wezterm.config_file
	Version    string // wezterm.version
}

// ErrNoPong means the GUI did not answer a ping: the snippet is not
// loaded (or errors before its handler is registered), or a user handler
// registered before it stops the event.
var ErrNoPong = errors.New("the snippet did not answer")

// Ping asks the loaded snippet to answer through PongFile, by writing
// PingVar to the tty of a pane the GUI shows (as a switch does).
func (s *Switcher) Ping(ctx context.Context) (Pong, error) {
	clients, err := s.C.ListClients(ctx)
	if err != nil {
		return Pong{}, err
	}
	gui, ok := wezterm.GUIClient(clients)
	if !ok {
		return Pong{}, ErrNoGUI
	}
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	want := hex.EncodeToString(nonce)
	pong := filepath.FromSlash(PongFile())
	if err := os.MkdirAll(filepath.Dir(pong), 0o700); err != nil {
		return Pong{}, err
	}
	_ = os.Remove(pong)
	if err := s.send(ctx, gui, SetUserVar(PingVar, want)); err != nil {
		return Pong{}, err
	}
	wait := s.Wait
	if wait == 0 {
		wait = 2 * time.Second
	}
	deadline := time.Now().Add(wait)
	for {
		if data, err := os.ReadFile(pong); err == nil {
			lines := strings.Split(string(data), "\n")
			if len(lines) >= 3 && lines[0] == want {
				return Pong{ConfigFile: lines[1], Version: lines[2]}, nil
			}
		}
		if time.Now().After(deadline) {
			return Pong{}, ErrNoPong
		}
		select {
		case <-ctx.Done():
			return Pong{}, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// New is the switcher the app uses: foreground programs from the process
// table, and the old user var while the installed module is an old one.
func New(c Client) *Switcher {
	home, _ := os.UserHomeDir()
	return &Switcher{C: c, Foreground: ProcForeground, Legacy: home != "" && LegacyInstalled(home)}
}

// Lister lists panes (a wezterm client).
type Lister interface {
	List(ctx context.Context) ([]wezterm.Pane, error)
}

// Target is the config file to install the snippet into, and how it was
// chosen: the file WezTerm loaded, as its panes were told, else WezTerm's
// own search order (~/.wezterm.lua first since 20230320). The command line
// and the window both install there.
func Target(ctx context.Context, c Lister, getenv func(string) string, home string) (string, ConfigSource) {
	if c != nil {
		if panes, err := c.List(ctx); err == nil {
			if p, ok := LoadedConfig(ctx, panes); ok {
				return p, FromPane
			}
		}
	}
	return ConfigPath(getenv, home), FromOrder
}
