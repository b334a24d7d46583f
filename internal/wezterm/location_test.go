package wezterm

import "testing"

func TestLocalPanesAreLocal(t *testing.T) {
	old := Hostname
	Hostname = func() string { return "devbox.example.org" }
	defer func() { Hostname = old }()
	tty := "/dev/pts/3"
	for _, tc := range []struct {
		name      string
		cwd       string
		tty       *string
		noState   bool // a release before tty_name (20230408)
		wantHost  string
		wantPath  string
		wantWhere Where
	}{
		{"WezTerm's own, local pty", "file:///home/u/src/", &tty, false, "", "/home/u/src", WhereLocal},
		{"OSC 7 from shell integration, this host", "file://devbox.example.org/home/u/src", &tty, false, "", "/home/u/src", WhereLocal},
		{"OSC 7, short hostname", "file://devbox/home/u/src", &tty, false, "", "/home/u/src", WhereLocal},
		{"OSC 7, hostname in capitals", "file://DEVBOX.example.org/home/u", nil, false, "", "/home/u", WhereLocal},
		{"OSC 7, localhost", "file://localhost/tmp", nil, false, "", "/tmp", WhereLocal},
		{"another machine, no tty (ssh domain)", "file://build01.example.org/srv", nil, false, "build01.example.org", "/srv", WhereRemote},
		{"same short name, other domain", "file://devbox.other.net/srv", nil, false, "devbox.other.net", "/srv", WhereRemote},
		// Issue 19: `ssh build-box` in a local pane. The pty is local, the
		// folder is on build-box (WezTerm prefers the OSC 7 value).
		{"ssh from a local pane: remote despite the tty", "file://build-box/home/u/proj", &tty, false, "build-box", "/home/u/proj", WhereRemote},
		// A pane without a tty on a release that has the field is a mux,
		// ssh or tmux domain pane: its hostless path is the remote's.
		{"hostless without a tty: unknown", "file:///srv/remote-only/", nil, false, "", "/srv/remote-only", WhereUnknown},
		{"hostless, release without tty_name: local", "file:///home/u/", nil, true, "", "/home/u", WhereLocal},
		{"no cwd at all", "", &tty, false, "", "", WhereUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := Pane{CWD: tc.cwd, TTYName: tc.tty, HasState: !tc.noState}.Location()
			if loc.Host != tc.wantHost || loc.Path != tc.wantPath || loc.Where != tc.wantWhere {
				t.Errorf("Location(%q) = %+v (%v), want host %q path %q %v", tc.cwd, loc, loc.Where, tc.wantHost, tc.wantPath, tc.wantWhere)
			}
		})
	}
}
