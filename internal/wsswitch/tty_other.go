//go:build !unix

package wsswitch

import "errors"

func writeTTY(path, s string) error { return errors.New("no ttys on this system") }
