//go:build unix

package wsswitch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInstallKeepsTheFilesModeOwnerAndLineEnds: a private wezterm.lua
// (ssh domains, tokens in set_environment_variables) stayed readable by
// every local user after an install (0600 became 0644); a read-only one
// was edited without asking; a CRLF file gained an LF line.
func TestInstallKeepsTheFilesModeOwnerAndLineEnds(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	src := "local config = {}\r\nconfig.font_size = 12\r\nreturn config\r\n"
	// The require line goes at the top (an earlier handler cannot stop the
	// event), in the file's own line ending.
	for _, tc := range []struct {
		name    string
		mode    os.FileMode
		owner   int // -1: the test's own
		wantErr string
		want    string
	}{
		{"private", 0o600, -1, "", RequireLine + "\r\n" + src},
		{"group-readable", 0o640, -1, "", RequireLine + "\r\n" + src},
		{"read-only", 0o400, -1, "is read-only (-r--------): it is left as it is; make it writable", ""},
		{"read-only for all", 0o444, -1, "is read-only (-r--r--r--)", ""},
		{"another user's (as root)", 0o600, 64123, "", RequireLine + "\r\n" + src},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.owner >= 0 && os.Getuid() != 0 {
				t.Skip("needs root to give a file to another uid")
			}
			home := t.TempDir()
			cfg := filepath.Join(home, ".config", "wezterm", "wezterm.lua")
			os.MkdirAll(filepath.Dir(cfg), 0o700)
			os.WriteFile(cfg, []byte(src), tc.mode)
			os.Chmod(cfg, tc.mode)
			if tc.owner >= 0 {
				os.Chown(cfg, tc.owner, tc.owner)
			}
			_, err := Install(cfg, home, false, now)
			got, _ := os.ReadFile(cfg)
			fi, _ := os.Stat(cfg)
			if tc.wantErr != "" {
				if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), RequireLine) {
					t.Errorf("err = %v", err)
				}
				if string(got) != src || fi.Mode().Perm() != tc.mode {
					t.Errorf("a read-only file was changed: %v %q", fi.Mode().Perm(), got)
				}
				if _, err := os.Stat(ModulePath(home)); err == nil {
					t.Error("the module was written for a refused install")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("edited: %q\nwant:   %q", got, tc.want)
			}
			if fi.Mode().Perm() != tc.mode {
				t.Errorf("mode %v, want %v", fi.Mode().Perm(), tc.mode)
			}
			if tc.owner >= 0 {
				if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != tc.owner || int(st.Gid) != tc.owner {
					t.Errorf("owner %d:%d, want %d", st.Uid, st.Gid, tc.owner)
				}
			}
		})
	}
}
