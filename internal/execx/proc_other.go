//go:build !unix

package execx

import (
	"errors"
	"io/fs"
	"os/exec"
)

func setProcessGroup(cmd *exec.Cmd) {}

func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission)
}

func detachAttrs(cmd *exec.Cmd) {}
