package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileShapes are files that made the decoder and the locator grow
// quadratically in time and memory: each is refused with a position before
// decoding. They are also seeds of the fuzz targets.
func hostileShapes() map[string]string {
	const n = 12000 // ~48 KB of nesting
	return map[string]string{
		"inline tables":           "a = " + strings.Repeat("{a = ", n) + "1" + strings.Repeat("}", n) + "\n",
		"arrays":                  "a = " + strings.Repeat("[", n) + "1" + strings.Repeat("]", n) + "\n",
		"arrays of inline tables": "x = 1\na = " + strings.Repeat("[{b = ", n/2) + "1" + strings.Repeat("}]", n/2) + "\n",
		"dotted key":              strings.Repeat("a.", n) + "a = 1\n",
		"dotted header":           "[" + strings.Repeat("a.", n) + "a]\n",
		"inline dotted":           "t = {" + strings.Repeat("a.", n) + "a = 1}\n",
	}
}

func TestHostileNestingIsRefusedWithAPosition(t *testing.T) {
	for name, src := range hostileShapes() {
		t.Run(name, func(t *testing.T) {
			_, err := ParseDoc("hostile.toml", []byte(src))
			var ps Problems
			if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].Msg, "nested more than 32 levels") {
				t.Fatalf("want one nesting problem, got %v", err)
			}
			if ps[0].Pos.Line < 1 || ps[0].Pos.Col < 2 {
				t.Errorf("position %v", ps[0].Pos)
			}
			// The same through the preferences and the store's read.
			if _, _, err := ParsePreferences("config.toml", []byte(src)); !errors.As(err, &ps) {
				t.Errorf("preferences: %v", err)
			}
		})
	}
}

func TestNestingWithinTheLimitStillParses(t *testing.T) {
	ok := map[string]string{
		"30 inline tables": "a = " + strings.Repeat("{a = ", 30) + "1" + strings.Repeat("}", 30) + "\n",
		"floats in arrays": "a = [1.5, 2.25, [3.0, 4.125]]\nb = 1979-05-27T07:32:00.999Z\n",
		"dots in strings":  `"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.1.2.3.4.5.6.7.8" = "x.y.z"` + "\n",
		"comments": "# a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.1.2.3.4.5.6.7.8 [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n" +
			"[tabs]\nx = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\ny = \"\"\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n\"\"\"\n",
	}
	for name, src := range ok {
		if _, err := ParseDoc("ok.toml", []byte(src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	deep := "a = " + strings.Repeat("{a = ", 33) + "1" + strings.Repeat("}", 33) + "\n"
	_, err := ParseDoc("deep.toml", []byte(deep))
	var ps Problems
	if !errors.As(err, &ps) || ps[0].Pos != (Pos{1, 5 + 5*31}) {
		t.Errorf("33 levels: %v", err)
	}
}

func TestReadFileRefusesLargeAndSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxFileSize)+"\n"), 0o600)
	_, err := ReadFile(big)
	var ps Problems
	if !errors.As(err, &ps) || !strings.Contains(ps.Error(), "big.toml:1:1: the file is larger than 1024 KiB") {
		t.Errorf("big: %v", err)
	}
	if _, err := ParseDoc("big.toml", []byte(strings.Repeat("#", MaxFileSize+1))); !errors.As(err, &ps) {
		t.Errorf("ParseDoc of a big text: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		link := filepath.Join(dir, "zero.toml")
		os.Symlink("/dev/zero", link)
		if _, err := ReadFile(link); !errors.As(err, &ps) || !strings.Contains(ps.Error(), "not a regular file") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	small := filepath.Join(dir, "ok.toml")
	os.WriteFile(small, []byte("a = 1\n"), 0o600)
	if data, err := ReadFile(small); err != nil || string(data) != "a = 1\n" {
		t.Errorf("ok: %q %v", data, err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.toml")); !IsNotExist(err) {
		t.Errorf("missing: %v", err)
	}
}

// BenchmarkParseDocShapes: the largest file allowed, in the shapes that are
// slow per byte, must still parse (or be refused) quickly.
func BenchmarkParseDocShapes(b *testing.B) {
	shapes := map[string]string{}
	for name, src := range hostileShapes() {
		shapes["hostile "+name] = src
	}
	var tables, arrays, keys strings.Builder
	for i := 0; tables.Len() < MaxFileSize-64; i++ {
		fmt.Fprintf(&tables, "[t%d]\nk = %d\n", i, i)
	}
	for i := 0; arrays.Len() < MaxFileSize-64; i++ {
		fmt.Fprintf(&arrays, "[[a%d]]\n", i)
	}
	for i := 0; keys.Len() < MaxFileSize-64; i++ {
		fmt.Fprintf(&keys, "k%d = %d\n", i, i)
	}
	shapes["1 MiB of tables"] = tables.String()
	shapes["1 MiB of distinct arrays of tables"] = arrays.String()
	shapes["1 MiB of keys"] = keys.String()
	for name, src := range shapes {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				ParseDoc("f.toml", []byte(src))
			}
		})
	}
}
