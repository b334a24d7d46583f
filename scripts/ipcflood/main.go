// Command ipcflood is a hostile same-user client of the resident's socket
// (cost scripts): CONNS connections at once, each sending MB of one
// unterminated line, then holding the connection open for HOLD.
// Usage: ipcflood SOCKET [CONNS] [MB] [HOLD]
package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ipcflood SOCKET [CONNS] [MB] [HOLD]")
		os.Exit(2)
	}
	conns, mb, hold := 6, 31, 30*time.Second
	if len(os.Args) > 2 {
		conns, _ = strconv.Atoi(os.Args[2])
	}
	if len(os.Args) > 3 {
		mb, _ = strconv.Atoi(os.Args[3])
	}
	if len(os.Args) > 4 {
		hold, _ = time.ParseDuration(os.Args[4])
	}
	chunk := append([]byte(`{"op":"hello","text":"`), bytes.Repeat([]byte("A"), 1<<20)...)
	var wg sync.WaitGroup
	sent := make([]int, conns)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("unix", os.Args[1])
			if err != nil {
				fmt.Fprintln(os.Stderr, "ipcflood: dial:", err)
				return
			}
			defer c.Close()
			for j := 0; j < mb; j++ {
				c.SetWriteDeadline(time.Now().Add(5 * time.Second))
				if _, err := c.Write(chunk[:1<<20]); err != nil {
					break // the resident closed it: what a bounded one does
				}
				sent[i]++
			}
			time.Sleep(hold)
		}()
	}
	wg.Wait()
	fmt.Printf("ipcflood: %d connections, MiB accepted per connection: %v\n", conns, sent)
}
