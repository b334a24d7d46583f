//go:build linux

package ipc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOtherUsersAreTurnedAway: a process of another uid that reaches the
// socket (here the folder is opened on purpose) gets no answer.
func TestOtherUsersAreTurnedAway(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root on Linux to run a process as another user")
	}
	if os.Getenv("IPC_HELPER_DIR") != "" {
		return // the helper runs TestHelperDial
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Dir(dir), 0o755)
	l, err := Listen(dir, Resident)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	os.Chmod(Path(dir, Resident), 0o666)
	accepted := make(chan bool, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			c.Close()
			accepted <- true
		}
	}()
	// The test binary lives in a private build folder: a copy the other
	// user can run.
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "helper.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestHelperDial$", "-test.v")
	cmd.Env = append(os.Environ(), "IPC_HELPER_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "no answer") {
		t.Fatalf("helper output:\n%s", out)
	}
	select {
	case <-accepted:
		t.Fatal("a connection of uid 65534 was accepted")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestHelperDial(t *testing.T) {
	dir := os.Getenv("IPC_HELPER_DIR")
	if dir == "" {
		t.Skip("helper")
	}
	c, err := Dial(dir, Resident, time.Second)
	if err != nil {
		t.Logf("no answer (dial: %v)", err)
		return
	}
	c.Send(Msg{Op: OpStats})
	if _, err := c.Recv(); err == nil {
		t.Fatal("answered")
	}
	t.Log("no answer")
}
