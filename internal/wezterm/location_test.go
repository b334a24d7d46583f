package wezterm

import "testing"

func TestLocalPanesAreLocal(t *testing.T) {
	old := Hostname
	Hostname = func() string { return "devbox.example.org" }
	defer func() { Hostname = old }()
	tty := "/dev/pts/3"
	for _, tc := range []struct {
		name     string
		cwd      string
		tty      *string
		wantHost string
		wantPath string
	}{
		{"WezTerm's own", "file:///home/u/src/", nil, "", "/home/u/src"},
		{"OSC 7 from shell integration, this host", "file://devbox.example.org/home/u/src", nil, "", "/home/u/src"},
		{"OSC 7, short hostname", "file://devbox/home/u/src", nil, "", "/home/u/src"},
		{"OSC 7, hostname in capitals", "file://DEVBOX.example.org/home/u", nil, "", "/home/u"},
		{"OSC 7, localhost", "file://localhost/tmp", nil, "", "/tmp"},
		{"another machine over ssh", "file://build01.example.org/srv", nil, "build01.example.org", "/srv"},
		{"same short name, other domain", "file://devbox.other.net/srv", nil, "devbox.other.net", "/srv"},
		{"any host on a pane with a tty is local", "file://weird-name/home/u", &tty, "", "/home/u"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := Pane{CWD: tc.cwd, TTYName: tc.tty}.Location()
			if loc.Host != tc.wantHost || loc.Path != tc.wantPath {
				t.Errorf("Location(%q) = %+v, want host %q path %q", tc.cwd, loc, tc.wantHost, tc.wantPath)
			}
		})
	}
}
