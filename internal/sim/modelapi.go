package sim

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/wezterm-parallel/wezterm-parallel/internal/fakeapi"
)

// modelAPI serves a scripted fake of the agents' model APIs on loopback
// (internal/fakeapi) until SIGTERM: scripts and people point the real agent
// CLIs at it. It prints its URL on the first line and writes one JSON line
// per exchange to --log.
func modelAPI(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("model-api", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "where to listen (loopback only)")
	script := fs.String("script", "", "a JSON script (internal/fakeapi.Script); default: every reply says OK after 1 s")
	logFile := fs.String("log", "", "append one JSON line per exchange here")
	urlFile := fs.String("url-file", "", "write the URL here once listening")
	dump := fs.String("dump", "", "write each request body into this folder (to learn what a CLI sends)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	sc := fakeapi.Script{Background: fakeapi.Turn{Usage: fakeapi.Usage{Input: 10, Output: 2}}}
	if *script != "" {
		sc = fakeapi.Script{}
		b, err := os.ReadFile(*script)
		if err != nil {
			fmt.Fprintln(stderr, "model-api:", err)
			return 1
		}
		if err := json.Unmarshal(b, &sc); err != nil {
			fmt.Fprintf(stderr, "model-api: %s: %v\n", *script, err)
			return 1
		}
	}
	srv, err := fakeapi.StartDump(*addr, sc, *dump)
	if err != nil {
		fmt.Fprintln(stderr, "model-api:", err)
		return 1
	}
	defer srv.Close()
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			fmt.Fprintln(stderr, "model-api:", err)
			return 1
		}
		defer f.Close()
		var mu sync.Mutex
		enc := json.NewEncoder(f)
		srv.OnExchange(func(e fakeapi.Exchange) {
			mu.Lock()
			defer mu.Unlock()
			enc.Encode(e)
		})
	}
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(srv.URL+"\n"), 0o600); err != nil {
			fmt.Fprintln(stderr, "model-api:", err)
			return 1
		}
	}
	fmt.Fprintln(stdout, srv.URL)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	return 0
}
