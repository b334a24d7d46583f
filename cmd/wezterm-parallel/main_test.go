package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain runs the program itself when asked (WP_RUN_MAIN), so the test
// sees exactly what a user's terminal would: every package init included.
func TestMain(m *testing.M) {
	if os.Getenv("WP_RUN_MAIN") == "1" {
		os.Args = append([]string{"wezterm-parallel"}, strings.Fields(os.Getenv("WP_ARGS"))...)
		main()
		return
	}
	os.Exit(m.Run())
}

// TestNothingOnStderrButOurs: no library noise (Fyne's "Error parsing user
// locale", anything else) on stderr, under any locale, for commands that
// have nothing to complain about.
func TestNothingOnStderrButOurs(t *testing.T) {
	cfg := t.TempDir() + "/config.toml"
	for _, lang := range []string{"", "C", "C.UTF-8", "en_US.UTF-8", "POSIX"} {
		for _, args := range []string{"version", "--help", "list --help", "help launch", "completion bash", "layout list"} {
			cmd := exec.Command(os.Args[0])
			env := []string{"WP_RUN_MAIN=1", "WP_ARGS=--config " + cfg + " --log-file " + t.TempDir() + "/log " + args, "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
			if lang != "" {
				env = append(env, "LANG="+lang)
			}
			cmd.Env = env
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Run(); err != nil {
				t.Errorf("LANG=%q %s: %v\n%s", lang, args, err, errb.String())
				continue
			}
			if errb.Len() != 0 {
				t.Errorf("LANG=%q %s: stderr %q", lang, args, errb.String())
			}
			if out.Len() == 0 {
				t.Errorf("LANG=%q %s: no output", lang, args)
			}
		}
	}
}
