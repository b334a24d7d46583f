package wsswitch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The require goes at the top (issue 19): WezTerm calls user-var-changed
// handlers in the order they were added and stops at the first that
// errors or returns false, so ours must come before the user's.
func TestInstallAtTop(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	old := "pcall(require, 'wezterm_parallel') -- " + Marker // an install before issue 19
	for _, tc := range []struct {
		name, src string
		wantErr   bool
		want      string // the edited file, "" when refused
	}{
		{"return config", "local wezterm = require 'wezterm'\nlocal config = wezterm.config_builder()\nconfig.font_size = 12\nreturn config\n", false,
			RequireLine + "\nlocal wezterm = require 'wezterm'\nlocal config = wezterm.config_builder()\nconfig.font_size = 12\nreturn config\n"},
		{"return table", "return {\n  font_size = 12,\n}\n", false, RequireLine + "\nreturn {\n  font_size = 12,\n}\n"},
		{"after a header comment", "-- my config\n-- (c) me\nreturn {}\n", false, "-- my config\n-- (c) me\n" + RequireLine + "\nreturn {}\n"},
		{"not inside a leading long comment", "--[[\nreturn old\n]]\nreturn {}\n", false, RequireLine + "\n--[[\nreturn old\n]]\nreturn {}\n"},
		{"two top-level returns are fine now", "if x then\nreturn a\nend\nreturn b\n", false, RequireLine + "\nif x then\nreturn a\nend\nreturn b\n"},
		{"an older install's line moves to the top", "local w = require 'wezterm'\nw.on('user-var-changed', function() error('x') end)\n" + old + "\nreturn {}\n", false,
			RequireLine + "\nlocal w = require 'wezterm'\nw.on('user-var-changed', function() error('x') end)\nreturn {}\n"},
		{"CRLF", "return {}\r\n", false, RequireLine + "\r\nreturn {}\r\n"},
		{"no return", "local wezterm = require 'wezterm'", false, RequireLine + "\nlocal wezterm = require 'wezterm'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			cfg := filepath.Join(home, ".config", "wezterm", "wezterm.lua")
			os.MkdirAll(filepath.Dir(cfg), 0o700)
			os.WriteFile(cfg, []byte(tc.src), 0o600)
			r, err := Install(cfg, home, false, now)
			got, _ := os.ReadFile(cfg)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("err = %v", err)
				}
				if string(got) != tc.src {
					t.Fatal("a refused install changed the file")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("edited:\n%s\nwant:\n%s", got, tc.want)
			}
			if b, _ := os.ReadFile(r.Backup); string(b) != tc.src {
				t.Errorf("backup %s: %q", r.Backup, b)
			}
			mod, _ := os.ReadFile(ModulePath(home))
			if !strings.Contains(string(mod), "user-var-changed") || !strings.HasSuffix(string(mod), "return {}\n") {
				t.Errorf("module:\n%s", mod)
			}
			// Twice is once.
			if r2, err := Install(cfg, home, false, now); err != nil || !r2.Already {
				t.Errorf("second install: %+v %v", r2, err)
			}
			if again, _ := os.ReadFile(cfg); string(again) != tc.want {
				t.Error("second install changed the file")
			}
		})
	}
}

func TestInstallCreatesAConfig(t *testing.T) {
	home := t.TempDir()
	cfg := ConfigPath(func(string) string { return "" }, home)
	r, err := Install(cfg, home, false, time.Now())
	if err != nil || !r.Created || r.Backup != "" {
		t.Fatalf("%+v %v", r, err)
	}
	got, _ := os.ReadFile(cfg)
	if !strings.Contains(string(got), RequireLine) || !strings.HasSuffix(string(got), "return {}\n") {
		t.Errorf("created:\n%s", got)
	}
	if f, _ := FindSnippet(func(k string) string {
		if k == "XDG_CONFIG_HOME" {
			return filepath.Join(home, ".config")
		}
		return ""
	}); f != cfg {
		t.Errorf("FindSnippet after install: %q", f)
	}
}
