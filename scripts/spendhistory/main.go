// Command spendhistory writes SIZE MB of Claude Code transcripts into a
// config folder, spread over the last HOURS hours (cost scripts).
// Usage: spendhistory DIR [MB] [HOURS]
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/spend/spendtest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: spendhistory DIR [MB] [HOURS]")
		os.Exit(2)
	}
	mb, hours := 100, 40
	if len(os.Args) > 2 {
		mb, _ = strconv.Atoi(os.Args[2])
	}
	if len(os.Args) > 3 {
		hours, _ = strconv.Atoi(os.Args[3])
	}
	n, err := spendtest.History(os.Args[1], int64(mb)<<20, time.Now().Add(-time.Duration(hours)*time.Hour))
	if err != nil {
		fmt.Fprintln(os.Stderr, "spendhistory:", err)
		os.Exit(1)
	}
	fmt.Printf("%d files, %d MB\n", n, mb)
}
