package widgets

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
)

// RoleName is the theme colour name of a role ("wp-role-3"), for widgets
// that take a colour name (rich text, coloured icons).
func RoleName(r viewmodel.Role) fyne.ThemeColorName { return roleName(r) }

func roleName(r viewmodel.Role) fyne.ThemeColorName {
	return fyne.ThemeColorName(fmt.Sprintf("wp-role-%d", r))
}

// RoleColor is the current theme's colour for a meaning.
func RoleColor(r viewmodel.Role) color.Color { return theme.Color(roleName(r)) }

// Theme is Fyne's default theme, pinned to a variant or following the
// system, with the app's colours by meaning (viewmodel palette) and a
// placeholder text dark enough to read on light backgrounds.
type Theme struct {
	fyne.Theme
	Pinned  bool
	Variant fyne.ThemeVariant
}

// NewTheme returns the theme for "light", "dark" or "system".
func NewTheme(name string) *Theme {
	t := &Theme{Theme: theme.DefaultTheme()}
	switch name {
	case "light":
		t.Pinned, t.Variant = true, theme.VariantLight
	case "dark":
		t.Pinned, t.Variant = true, theme.VariantDark
	}
	return t
}

// Color implements fyne.Theme.
func (t *Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.Pinned {
		v = t.Variant
	}
	vm := viewmodel.Dark
	if v == theme.VariantLight {
		vm = viewmodel.Light
	}
	if rest, ok := strings.CutPrefix(string(n), "wp-role-"); ok {
		if r, err := strconv.Atoi(rest); err == nil {
			return viewmodel.Color(vm, viewmodel.Role(r))
		}
	}
	switch n {
	case theme.ColorNamePlaceHolder:
		return viewmodel.Color(vm, viewmodel.RoleMuted)
	case theme.ColorNameWarning:
		return viewmodel.Color(vm, viewmodel.RoleWaitingBg)
	case theme.ColorNameError:
		return viewmodel.Color(vm, viewmodel.RoleError)
	case theme.ColorNameForegroundOnWarning:
		return viewmodel.Color(vm, viewmodel.RoleOnWaiting)
	case theme.ColorNameSuccess:
		return viewmodel.Color(vm, viewmodel.RoleWorking)
	}
	return t.Theme.Color(n, v)
}
