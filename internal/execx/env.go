package execx

import (
	"os"
	"strings"
)

// EnvWithout returns the environment env (os.Environ() when nil) without the
// named variables.
func EnvWithout(env []string, names ...string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
