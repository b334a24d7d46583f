package wezterm

import (
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultClass is the GUI's default window class; its socket link is
// named after it (wezterm-gui-subcommands DEFAULT_WINDOW_CLASS).
const DefaultClass = "org.wezfurlong.wezterm"

// Endpoint is where `wezterm cli` connects, found the way WezTerm finds it
// (wezterm-client/src/client.rs compute_unix_domain, discovery.rs).
type Endpoint struct {
	Socket string
	// Via says how: "WEZTERM_UNIX_SOCKET", "GUI link NAME" or "mux
	// server socket" (no GUI link: the default unix domain's socket,
	// which a headless wezterm-mux-server answers).
	Via string
	// GUIPID is the pid in a gui-sock-PID name (0: not a GUI's socket).
	GUIPID int
	// Live: the socket accepts a connection now.
	Live bool
}

// IsMux reports whether the CLI would reach a mux server's socket rather
// than a GUI's.
func (e Endpoint) IsMux() bool { return e.GUIPID == 0 && !strings.HasPrefix(e.Via, "GUI link") }

// RuntimeDir is WezTerm's runtime folder: $XDG_RUNTIME_DIR/wezterm, else
// ~/.local/share/wezterm (config/src/config.rs compute_runtime_dir).
func RuntimeDir(getenv func(string) string) string {
	if d := getenv("XDG_RUNTIME_DIR"); d != "" && runtime.GOOS != "darwin" {
		return filepath.Join(d, "wezterm")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "wezterm")
}

// linkName is the GUI's published link for class: wayland-$WAYLAND_DISPLAY
// (enable_wayland is on in the CLI's default config, which is what the CLI
// uses here) or x11-$DISPLAY (":0" when unset); default-CLASS on macOS.
func linkName(getenv func(string) string, class string) string {
	if runtime.GOOS == "darwin" {
		return "default-" + class
	}
	if w := getenv("WAYLAND_DISPLAY"); w != "" {
		return "wayland-" + w + "-" + class
	}
	d := getenv("DISPLAY")
	if d == "" {
		d = ":0"
	}
	return "x11-" + d + "-" + class
}

// Resolve says where `wezterm cli` would connect with this environment,
// and whether that socket answers.
func Resolve(getenv func(string) string) Endpoint {
	sock, via := SocketPath(getenv)
	return endpoint(sock, via)
}

// SocketPath is the socket `wezterm cli` connects to with this
// environment, and how it found it.
func SocketPath(getenv func(string) string) (sock, via string) {
	if s := getenv("WEZTERM_UNIX_SOCKET"); s != "" {
		return s, "WEZTERM_UNIX_SOCKET"
	}
	dir := RuntimeDir(getenv)
	name := linkName(getenv, DefaultClass)
	if target, err := os.Readlink(filepath.Join(dir, name)); err == nil {
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		return target, "GUI link " + name
	}
	return filepath.Join(dir, "sock"), "mux server socket"
}

func endpoint(sock, via string) Endpoint {
	e := Endpoint{Socket: sock, Via: via, GUIPID: guiPID(sock)}
	e.Live = socketLive(sock)
	return e
}

// guiPID is the pid in a gui-sock-PID socket name, or 0.
func guiPID(sock string) int {
	n, ok := strings.CutPrefix(filepath.Base(sock), "gui-sock-")
	if !ok {
		return 0
	}
	pid, err := strconv.Atoi(n)
	if err != nil {
		return 0
	}
	return pid
}

func socketLive(path string) bool {
	c, err := net.DialTimeout("unix", path, 300*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// LiveGUISockets lists the GUI sockets in WezTerm's runtime folder that
// answer, the newest first: GUIs started with --class, --config-file,
// --always-new-process or `wezterm connect` publish no link, and a crashed
// one leaves its link behind, so this is how to find the GUI on screen.
func LiveGUISockets(getenv func(string) string) []Endpoint {
	dir := RuntimeDir(getenv)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	type found struct {
		e   Endpoint
		mod time.Time
	}
	var fs []found
	for _, de := range ents {
		if !strings.HasPrefix(de.Name(), "gui-sock-") {
			continue
		}
		p := filepath.Join(dir, de.Name())
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&os.ModeSocket == 0 {
			continue
		}
		if e := endpoint(p, "live GUI socket"); e.Live {
			fs = append(fs, found{e, info.ModTime()})
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].mod.After(fs[j].mod) })
	out := make([]Endpoint, len(fs))
	for i, f := range fs {
		out[i] = f.e
	}
	return out
}

// envGetter reads a KEY=VALUE list.
func envGetter(env []string) func(string) string {
	return func(k string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], k+"="); ok {
				return v
			}
		}
		return ""
	}
}

// withEnv returns env with k=v in place of any k.
func withEnv(env []string, k, v string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, k+"=") {
			out = append(out, kv)
		}
	}
	return append(out, k+"="+v)
}
