package wsswitch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestInstallBeforeReturn(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, src string
		wantErr   bool
		want      string // the edited file, "" when refused
	}{
		{"return config", "local wezterm = require 'wezterm'\nlocal config = wezterm.config_builder()\nconfig.font_size = 12\nreturn config\n", false,
			"local wezterm = require 'wezterm'\nlocal config = wezterm.config_builder()\nconfig.font_size = 12\n" + RequireLine + "\nreturn config\n"},
		{"return table", "return {\n  font_size = 12,\n}\n", false, RequireLine + "\nreturn {\n  font_size = 12,\n}\n"},
		{"returns in functions", "local function f()\n  return 1\nend\nreturn { x = f() }", false,
			"local function f()\n  return 1\nend\n" + RequireLine + "\nreturn { x = f() }"},
		{"return inside a long comment", "--[[\nreturn old\n]]\nreturn {}\n", false, "--[[\nreturn old\n]]\n" + RequireLine + "\nreturn {}\n"},
		{"two top-level returns", "if x then\nreturn a\nend\nreturn b\n", true, ""},
		{"return shares a line", "local c = {} return c\n", true, ""},
		{"no return", "local wezterm = require 'wezterm'", false, "local wezterm = require 'wezterm'\n" + RequireLine + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			cfg := filepath.Join(home, ".config", "wezterm", "wezterm.lua")
			os.MkdirAll(filepath.Dir(cfg), 0o700)
			os.WriteFile(cfg, []byte(tc.src), 0o600)
			r, err := Install(cfg, home, false, now)
			got, _ := os.ReadFile(cfg)
			if tc.wantErr {
				if !errors.Is(err, ErrNoSafePlace) || !strings.Contains(err.Error(), RequireLine) {
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
