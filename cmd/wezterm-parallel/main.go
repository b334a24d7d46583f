// Command wezterm-parallel is a control panel for WezTerm. The same binary is
// also the stand-in WezTerm when invoked as wezterm-sim (the demo links it).
package main

import (
	"os"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/ui"
)

func main() {
	if sim.IsSimName(os.Args[0]) {
		os.Exit(sim.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(app.Main(os.Args[1:], app.Options{GUI: ui.Run}))
}
