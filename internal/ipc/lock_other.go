//go:build !unix && !windows

package ipc

// Lock always succeeds where the system has no file locks.
func Lock(dir, name string) (release func(), ok bool, err error) { return func() {}, true, nil }
