//go:build linux

package desktop

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestX11Addrs(t *testing.T) {
	for _, tc := range []struct{ d, want string }{
		{":0", "unix:@/tmp/.X11-unix/X0 unix:/tmp/.X11-unix/X0"},
		{":99.0", "unix:@/tmp/.X11-unix/X99 unix:/tmp/.X11-unix/X99"},
		{"unix:3", "unix:@/tmp/.X11-unix/X3 unix:/tmp/.X11-unix/X3"},
		{"localhost:10.0", "tcp:localhost:6010"},
		{"[::1]:2", "tcp:[::1]:6002"},
	} {
		as, err := x11Addrs(tc.d)
		var got []string
		for _, a := range as {
			got = append(got, a.network+":"+a.addr)
		}
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%q: %v %v, want %s", tc.d, got, err, tc.want)
		}
	}
	for _, bad := range []string{"nodisplay", ":x", ":-1"} {
		if _, err := x11Addrs(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A stale DISPLAY, Wayland without XWayland and no display at all each
// say what is wrong and what to run instead; a display that answers
// passes.
func TestProbeDisplay(t *testing.T) {
	var e *ErrNoDisplay
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DISPLAY": ":64999"}, "cannot open the display DISPLAY=:64999"},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-9"}, "only a Wayland display (WAYLAND_DISPLAY=wayland-9)"},
		{map[string]string{}, "no display"},
		{map[string]string{"DISPLAY": "garbage"}, "DISPLAY=garbage"},
	} {
		err := ProbeDisplay(env(tc.env))
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "wezterm-parallel list") {
			t.Errorf("%v: %v", tc.env, err)
		}
	}
	// A listener standing in for an X server on a TCP display.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	if port < 6000 {
		t.Skip("the free port is below 6000: no X display number maps to it")
	}
	d := "127.0.0.1:" + strconv.Itoa(port-6000)
	if err := ProbeDisplay(env(map[string]string{"DISPLAY": d})); err != nil {
		t.Errorf("a display that answers: %v", err)
	}
}
