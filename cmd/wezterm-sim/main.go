// Command wezterm-sim is a stand-in for WezTerm: same CLI argv, outputs and
// errors, real ptys. See internal/sim.
package main

import (
	"os"

	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
)

func main() {
	os.Exit(sim.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
