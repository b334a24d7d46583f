package sim

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// fakeAgent imitates an AI coding agent for tests and the demo: a braille
// spinner in the title while it "works" (burning CPU and printing progress),
// then ✳ in the title and an approval prompt, waiting for a line of input.
// "quit" ends it cleanly; anything else starts another round of work.
func fakeAgent(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fake-agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	work := fs.Duration("work", 2*time.Second, "how long each round of work takes")
	name := fs.String("name", "agent", "name shown in the title")
	signal := fs.String("signal", "", "file to write the time (RFC 3339, ns) each time the agent starts waiting: latency tests")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	in := bufio.NewReader(stdin)
	spinner := []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
	for round := 1; ; round++ {
		end := time.Now().Add(*work)
		for i := 0; time.Now().Before(end); i++ {
			fmt.Fprintf(stdout, "\x1b]0;%c %s\x07", spinner[i%len(spinner)], *name)
			if i%5 == 0 {
				fmt.Fprintf(stdout, "working on step %d.%d…\r\n", round, i/5)
			}
			burn(100 * time.Millisecond)
		}
		fmt.Fprintf(stdout, "\x1b]0;✳ %s\x07", *name)
		fmt.Fprint(stdout, "Edit parser.go: 3 changes\r\nApprove? [y/N] ")
		if *signal != "" {
			os.WriteFile(*signal, []byte(time.Now().Format(time.RFC3339Nano)), 0o600)
		}
		line, err := in.ReadString('\n')
		if err != nil {
			return 0
		}
		line = strings.TrimSpace(line)
		fmt.Fprintf(stdout, "\r\ngot: %s\r\n", line)
		if line == "quit" {
			return 0
		}
	}
}

// burn keeps a core busy for d.
func burn(d time.Duration) {
	end := time.Now().Add(d)
	x := 0
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x += i
		}
	}
	_ = x
}
