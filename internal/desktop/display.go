package desktop

import (
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ErrNoDisplay says why the window cannot open, and what works instead.
type ErrNoDisplay struct{ Why string }

func (e *ErrNoDisplay) Error() string {
	return e.Why + ". Without a window: `wezterm-parallel list` (or `top`) prints the panes, `wezterm-parallel --hidden` keeps watching from the tray"
}

// probeTimeout bounds the test connection to the display.
const probeTimeout = 2 * time.Second

// ProbeDisplay reports whether the window can open here: on Linux and the
// BSDs it connects to the X server DISPLAY names (the window is an X11
// program: on Wayland it needs XWayland) and hangs up; elsewhere it
// assumes yes. Opening the window on a display that is gone would end in
// a panic of the GL library, with a stack trace and nothing a user can act
// on.
func ProbeDisplay(getenv func(string) string) error {
	switch runtime.GOOS {
	case "darwin", "windows":
		return nil
	}
	d := getenv("DISPLAY")
	if d == "" {
		if w := getenv("WAYLAND_DISPLAY"); w != "" {
			return &ErrNoDisplay{fmt.Sprintf("only a Wayland display (WAYLAND_DISPLAY=%s) and no X server (DISPLAY is empty): the window needs X11 — turn XWayland on", w)}
		}
		return &ErrNoDisplay{"no display: DISPLAY and WAYLAND_DISPLAY are empty"}
	}
	addrs, err := x11Addrs(d)
	if err != nil {
		return &ErrNoDisplay{fmt.Sprintf("DISPLAY=%s: %v", d, err)}
	}
	var last error
	for _, a := range addrs {
		c, err := net.DialTimeout(a.network, a.addr, probeTimeout)
		if err == nil {
			c.Close()
			return nil
		}
		last = err
	}
	return &ErrNoDisplay{fmt.Sprintf("cannot open the display DISPLAY=%s (a stale value? no X server answers: %v)", d, last)}
}

type x11Addr struct{ network, addr string }

// x11Addrs are where an X server for display d listens, as Xlib tries
// them: "[host]:N[.S]"; no host (or "unix") is the local socket, abstract
// first (Linux), then the file; a host is TCP port 6000+N.
func x11Addrs(d string) ([]x11Addr, error) {
	i := strings.LastIndexByte(d, ':')
	if i < 0 {
		return nil, fmt.Errorf("not a display name (want [host]:N)")
	}
	host, num := d[:i], d[i+1:]
	if j := strings.IndexByte(num, '.'); j >= 0 {
		num = num[:j]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("not a display number: %q", num)
	}
	if strings.HasPrefix(host, "/") {
		// launchd-style paths (XQuartz): the socket is the whole value.
		return []x11Addr{{"unix", d}}, nil
	}
	if host == "" || host == "unix" {
		path := "/tmp/.X11-unix/X" + strconv.Itoa(n)
		out := []x11Addr{{"unix", path}}
		if runtime.GOOS == "linux" {
			out = append([]x11Addr{{"unix", "@" + path}}, out...)
		}
		return out, nil
	}
	if n > 65535-6000 {
		return nil, fmt.Errorf("display %d has no TCP port", n)
	}
	return []x11Addr{{"tcp", net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(6000+n))}}, nil
}
