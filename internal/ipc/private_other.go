//go:build !unix && !windows

package ipc

import "io/fs"

func checkPrivate(string, fs.FileInfo, bool) error { return nil }

func checkOwner(string, fs.FileInfo) error { return nil }

func openToOthers(string) bool { return false }
