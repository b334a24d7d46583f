package execx

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

func TestExecRun(t *testing.T) {
	var logBuf strings.Builder
	r := Exec{Log: slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	tests := []struct {
		name       string
		cmd        Cmd
		wantOut    string
		wantCode   int
		wantErr    bool
		wantStderr string
		timedOut   bool
		notFound   bool
	}{
		{name: "ok", cmd: Cmd{Args: []string{"sh", "-c", "printf hello"}}, wantOut: "hello"},
		{name: "argv not shell", cmd: Cmd{Args: []string{"printf", "%s", "a b; echo x"}}, wantOut: "a b; echo x"},
		{name: "stdin", cmd: Cmd{Args: []string{"cat"}, Stdin: []byte("in")}, wantOut: "in"},
		{name: "empty stdin does not block", cmd: Cmd{Args: []string{"cat"}}, wantOut: ""},
		{name: "exit code and stderr", cmd: Cmd{Args: []string{"sh", "-c", "echo boom >&2; exit 3"}},
			wantCode: 3, wantErr: true, wantStderr: "boom"},
		{name: "env", cmd: Cmd{Args: []string{"sh", "-c", "printf %s \"$X\""}, Env: []string{"X=1"}}, wantOut: "1"},
		{name: "timeout kills group", cmd: Cmd{Args: []string{"sh", "-c", "sleep 30 & sleep 30"}, Timeout: 200 * time.Millisecond},
			wantCode: -1, wantErr: true, timedOut: true},
		{name: "not found", cmd: Cmd{Args: []string{"/nonexistent/wezterm"}}, wantCode: -1, wantErr: true, notFound: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res, err := r.Run(context.Background(), tt.cmd)
			if tt.timedOut && time.Since(start) > 5*time.Second {
				t.Fatalf("timeout not enforced: took %v", time.Since(start))
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got := string(res.Stdout); got != tt.wantOut {
				t.Errorf("stdout = %q, want %q", got, tt.wantOut)
			}
			if err == nil {
				return
			}
			var ce *CmdError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not *CmdError", err)
			}
			if ce.ExitCode != tt.wantCode {
				t.Errorf("exit = %d, want %d", ce.ExitCode, tt.wantCode)
			}
			if !strings.Contains(ce.Stderr, tt.wantStderr) || !strings.Contains(ce.Error(), tt.wantStderr) {
				t.Errorf("stderr %q / message %q lacks %q", ce.Stderr, ce.Error(), tt.wantStderr)
			}
			if ce.TimedOut != tt.timedOut {
				t.Errorf("TimedOut = %v", ce.TimedOut)
			}
			if tt.timedOut && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("timeout error does not wrap DeadlineExceeded: %v", err)
			}
			if ce.NotFound() != tt.notFound {
				t.Errorf("NotFound = %v", ce.NotFound())
			}
			if len(ce.Args) == 0 || ce.Args[0] != tt.cmd.Args[0] {
				t.Errorf("Args = %v", ce.Args)
			}
		})
	}
	if !strings.Contains(logBuf.String(), "argv=") || !strings.Contains(logBuf.String(), "exit=3") {
		t.Errorf("debug log lacks argv/exit: %s", logBuf.String())
	}
}

func TestEnvWithout(t *testing.T) {
	got := EnvWithout([]string{"A=1", "WEZTERM_PANE=3", "WEZTERM_PANES=x", "B=2"}, "WEZTERM_PANE")
	want := "A=1 WEZTERM_PANES=x B=2"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

func TestDetach(t *testing.T) {
	dir := t.TempDir()
	if err := Detach([]string{"sh", "-c", "echo ok > " + dir + "/out"}, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if b, err := os.ReadFile(dir + "/out"); err == nil && string(b) == "ok\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("detached program did not run")
		}
		time.Sleep(10 * time.Millisecond)
	}
	var ce *CmdError
	if err := Detach([]string{"/nonexistent/x"}, nil); !errors.As(err, &ce) || !ce.NotFound() {
		t.Errorf("missing program: %v", err)
	}
}

func TestRedact(t *testing.T) {
	in := []string{"wezterm", "cli", "spawn", "--", "env", "--", "TOKEN=s3cr3t", "PORT=3001", "npm", "run", "A=b"}
	got := strings.Join(Redact(in), " ")
	want := "wezterm cli spawn -- env -- TOKEN=<6 bytes> PORT=<4 bytes> npm run A=b"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if in[6] != "TOKEN=s3cr3t" {
		t.Error("Redact changed its input")
	}
	plain := []string{"git", "-C", "x", "status"}
	if r := Redact(plain); &r[0] != &plain[0] {
		t.Error("nothing to redact should not copy")
	}
}

// At debug level the log holds neither env values nor sent text.
func TestDebugLogHasNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r := Exec{Log: log}
	r.Run(context.Background(), Cmd{Args: []string{"env", "--", "TOKEN=s3cr3t", "cat"}, Stdin: []byte("password hunter2")})
	if out := buf.String(); strings.Contains(out, "s3cr3t") || strings.Contains(out, "hunter2") || !strings.Contains(out, "stdin_bytes=16") {
		t.Errorf("log: %s", out)
	}
}
