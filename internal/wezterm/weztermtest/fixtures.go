package weztermtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// FixturesDir returns ../shared/fixtures/wezterm as seen from the repository
// root (the shared folder sits beside the clone). It skips the test when the
// folder is absent.
func FixturesDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	for _, dir := range []string{
		os.Getenv("WEZTERM_PARALLEL_FIXTURES"),
		filepath.Join(root, "..", "shared", "fixtures", "wezterm"),
	} {
		if dir == "" {
			continue
		}
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	t.Skip("shared fixtures not found beside the repository; set WEZTERM_PARALLEL_FIXTURES")
	return ""
}

// NotRunningStderr is WezTerm's stderr when nothing listens on the socket
// and auto-start is off.
const NotRunningStderr = "09:56:51.110  ERROR  wezterm > failed to connect to Socket(\"/run/user/1000/wezterm/sock\"): connecting to /run/user/1000/wezterm/sock; terminating\n"

// NoSuchPaneStderr is WezTerm's stderr when the server rejects a pane id.
func NoSuchPaneStderr(id string) string {
	return "09:56:51.110  ERROR  wezterm > unexpected response Ok(ErrorResponse(ErrorResponse { reason: \"Error: no such pane " + id + "\" })); terminating\n"
}
