// Command spendhistory writes agent usage records for the cost scripts.
//
//	spendhistory DIR [MB] [HOURS]           MB of Claude Code transcripts in config folder DIR over the last HOURS hours
//	spendhistory -sessions N [-entries E] [-from 8760h] [-to 0s] DIR
//	                                        N transcripts (E messages each) spread from -from ago to -to ago
//	spendhistory -gemini MB [-every 10s] FILE
//	                                        a Gemini CLI recording of MB, rewritten (same bytes) every -every until killed
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/spend/spendtest"
)

func main() {
	sessions := flag.Int("sessions", 0, "write this many transcripts spread over -from..-to")
	entries := flag.Int("entries", 3, "messages per transcript (with -sessions)")
	from := flag.Duration("from", 8760*time.Hour, "the first transcript this long ago (with -sessions)")
	to := flag.Duration("to", 0, "the last transcript this long ago (with -sessions)")
	gemini := flag.Int("gemini", 0, "write a Gemini CLI recording of this many MB to FILE")
	every := flag.Duration("every", 0, "with -gemini: rewrite the file with the same bytes this often, until killed")
	flag.Parse()
	args := flag.Args()
	if len(args) < 1 {
		fmt.Fprintln(os.Stderr, "usage: spendhistory DIR [MB] [HOURS] | -sessions N [-entries E] [-from D] [-to D] DIR | -gemini MB [-every D] FILE")
		os.Exit(2)
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "spendhistory:", err)
		os.Exit(1)
	}
	now := time.Now()
	switch {
	case *gemini > 0:
		for {
			if err := spendtest.Gemini(args[0], int64(*gemini)<<20, now); err != nil {
				fail(err)
			}
			if *every <= 0 {
				fmt.Printf("%s: %d MB\n", args[0], *gemini)
				return
			}
			time.Sleep(*every)
		}
	case *sessions > 0:
		if err := spendtest.Sessions(args[0], *sessions, *entries, now.Add(-*from), now.Add(-*to)); err != nil {
			fail(err)
		}
		fmt.Printf("%d files\n", *sessions)
		return
	}
	mb, hours := 100, 40
	if len(args) > 1 {
		mb, _ = strconv.Atoi(args[1])
	}
	if len(args) > 2 {
		hours, _ = strconv.Atoi(args[2])
	}
	n, err := spendtest.History(args[0], int64(mb)<<20, now.Add(-time.Duration(hours)*time.Hour))
	if err != nil {
		fail(err)
	}
	fmt.Printf("%d files, %d MB\n", n, mb)
}
