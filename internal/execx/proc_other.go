//go:build !unix

package execx

import (
	"os/exec"
)

func setProcessGroup(cmd *exec.Cmd) {}

func detachAttrs(cmd *exec.Cmd) {}
