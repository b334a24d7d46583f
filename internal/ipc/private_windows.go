//go:build windows

package ipc

import "io/fs"

// On Windows the folder lives in the user's profile, whose ACL already
// keeps other users out.
func checkPrivate(string, fs.FileInfo, bool) error { return nil }

func checkOwner(string, fs.FileInfo) error { return nil }

func openToOthers(string) bool { return false }
