package execx

import (
	"fmt"
	"os/exec"
)

// Detach starts a long-lived program (a GUI, like `wezterm start`) that
// outlives the call: no timeout applies, its output is discarded, it gets
// its own session, and it is reaped when it exits. Use Run for commands
// whose result matters.
func Detach(argv []string, env []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("execx: empty argv")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	detachAttrs(cmd)
	if err := cmd.Start(); err != nil {
		return &CmdError{Args: argv, ExitCode: -1, Err: err}
	}
	go cmd.Wait() //nolint:errcheck // reap; the program's fate is not ours
	return nil
}
