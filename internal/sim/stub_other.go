//go:build !unix

package sim

import (
	"errors"
	"fmt"
	"io"
)

// The stand-in needs Unix ptys; elsewhere it only says so.

var errNoPty = errors.New("wezterm-sim needs Unix ptys; it does not run on this system")

// Config configures a Server.
type Config struct {
	Socket string
	Log    io.Writer
}

// Server is unavailable on this system.
type Server struct{}

// NewServer always fails here.
func NewServer(Config) (*Server, error) { return nil, errNoPty }

func (*Server) Serve() error        { return errNoPty }
func (*Server) Close() error        { return nil }
func (*Server) PopulateDemo() error { return errNoPty }
func (*Server) Socket() string      { return "" }

// Main reports that the stand-in is unavailable.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, errNoPty)
	return 1
}

// Demo is unavailable on this system.
type Demo struct{ Socket, Link, UsageDir string }

// StartDemo always fails here.
func StartDemo() (*Demo, error) { return nil, errNoPty }

// Close does nothing.
func (*Demo) Close() {}
