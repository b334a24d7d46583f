// Package difftest is the differential suite: the same scenarios of
// `wezterm cli` calls run against the stand-in (internal/sim) and, when
// the environment names a real WezTerm (WEZTERM_PARALLEL_REAL_WEZTERM=path
// to its `wezterm` CLI; wezterm-gui and wezterm-mux-server beside it),
// against the real one, recording stdout, stderr and exit code of every
// call and comparing them after removing what differs by nature (times,
// pids, tty numbers, temporary paths).
//
// CI has no real WezTerm: there the stand-in is compared with the
// transcript recorded from the real one (testdata/real-*.json, written by
// `go test ./internal/difftest -run TestDifferential -update` with the
// variable set). Every difference that remains is listed in known.go with
// the reason; anything else fails the test.
//
// The real WezTerm always runs with a private HOME, XDG_RUNTIME_DIR and
// XDG_CONFIG_HOME in a temporary folder: the GUI under its own Xvfb (with
// dbus-run-session when present) and the Software front end, the mux
// server on its own socket.
package difftest
