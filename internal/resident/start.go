package resident

import (
	"fmt"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
)

// Claim takes the lock of one endpoint (ipc.Resident or ipc.Window) for
// this process. held is true when another process has it: that one runs.
func Claim(dir, name string) (release func(), held bool, err error) {
	if err := ipc.Prepare(dir); err != nil {
		return nil, false, err
	}
	release, ok, err := ipc.Lock(dir, name)
	if err != nil {
		return nil, false, err
	}
	return release, !ok, nil
}

// Tell sends messages to a running endpoint (a second start asks the open
// window to come to the front).
func Tell(dir, name string, msgs ...ipc.Msg) error {
	var c *ipc.Conn
	var err error
	// The holder of the lock may still be starting: give it a moment.
	for i := 0; i < 20; i++ {
		if c, err = ipc.Dial(dir, name, time.Second); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("reach the running %s: %w", name, err)
	}
	defer c.Close()
	for _, m := range msgs {
		if err := c.Send(m); err != nil {
			return err
		}
	}
	return nil
}

// Running reports whether a resident answers.
func Running(dir string) bool {
	c, err := ipc.Dial(dir, ipc.Resident, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
