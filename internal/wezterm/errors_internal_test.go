package wezterm_test

import "os/exec"

func errNotFound() error { return exec.ErrNotFound }
