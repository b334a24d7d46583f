//go:build !unix

package config

import "os"

// sameOwner: files here carry no unix owner (their ACL is the folder's).
func sameOwner(*os.File, string) error { return nil }
