package ui

import (
	"image"
	"os"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// render draws s as a tile title would be drawn and returns the picture.
func renderText(t *testing.T, s string) image.Image {
	t.Helper()
	txt := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	txt.TextSize = 20
	w := test.NewTempWindow(t, txt)
	w.Resize(fyne.NewSize(220, 40))
	return w.Canvas().Capture()
}

func same(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				return false
			}
		}
	}
	return true
}

// Japanese and emoji titles render as glyphs, not as missing-glyph boxes:
// two different characters draw differently, and differently from
// characters no font has. It needs a CJK font (Debian fonts-noto-cjk,
// which make e2e installs); without one it skips, unless
// WEZTERM_PARALLEL_REQUIRE_CJK is set (e2e).
func TestCJKAndEmojiTitlesRender(t *testing.T) {
	out, err := exec.Command("fc-list", ":lang=ja").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		if os.Getenv("WEZTERM_PARALLEL_REQUIRE_CJK") != "" {
			t.Fatal("no Japanese font installed (fc-list :lang=ja is empty): install fonts-noto-cjk")
		}
		t.Skip("no Japanese font installed")
	}
	test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	missing := renderText(t, "\U000F0001\U000F0002")
	for _, pair := range [][2]string{{"日本", "語句"}, {"🚀", "✅"}} {
		a, b := renderText(t, pair[0]), renderText(t, pair[1])
		if same(a, b) {
			t.Errorf("%q and %q draw the same: boxes, not glyphs", pair[0], pair[1])
		}
		if same(a, missing) {
			t.Errorf("%q draws like characters no font has", pair[0])
		}
	}
}
