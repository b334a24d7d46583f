package execx

import "github.com/wezterm-parallel/wezterm-parallel/internal/command"

// EnvWithout returns env (os.Environ() when nil) without the named
// variables (command.EnvWithout).
func EnvWithout(env []string, names ...string) []string { return command.EnvWithout(env, names...) }
