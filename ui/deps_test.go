package ui

import (
	"os/exec"
	"strings"
	"testing"
)

// The window only renders and asks: the command line, the stand-in, ipc,
// process starts and the resident are wired in internal/session, never
// linked from here.
func TestWindowLinksNoWiring(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	if !strings.Contains(string(out), "/wezterm-parallel/internal/backend\n") {
		t.Fatalf("go list did not list the window's dependencies:\n%s", out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"internal/app", "internal/sim", "internal/ipc", "internal/execx", "internal/resident", "internal/session"} {
			if strings.HasSuffix(dep, "/wezterm-parallel/"+banned) {
				t.Errorf("ui links %s", dep)
			}
		}
	}
}
