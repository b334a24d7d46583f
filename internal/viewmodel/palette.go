package viewmodel

import (
	"image/color"
	"math"
)

// Role is what a colour means. One meaning per colour: error red only for
// failures; a waiting agent is amber ("needs you"); working has its own
// hue; idle and exited are muted and differ; CPU heat is a bar colour,
// never a whole tile; the user's selection and WezTerm's focused pane look
// different.
type Role int

// Roles.
const (
	RoleText      Role = iota // ordinary text
	RoleMuted                 // secondary text: cwd, labels
	RoleWaiting               // an agent needs you (text on the tile background)
	RoleWaitingBg             // the "needs you" chip's fill
	RoleOnWaiting             // text on RoleWaitingBg
	RoleWorking               // an agent is working
	RoleIdle                  // an agent is idle
	RoleExited                // an agent's process ended
	RoleError                 // a failure
	RoleSelected              // the user's selection in this app (border)
	RoleFocused               // WezTerm's focused pane (border, badge)
	RoleHeatLow               // CPU bar, < 30 % of a core
	RoleHeatMid               // 30–80 %
	RoleHeatHigh              // ≥ 80 %
	RoleTileBg                // a tile's fill
	RoleStale                 // text of a picture that is no longer live
	roleCount
)

// Variant is the theme: light or dark.
type Variant int

// Variants.
const (
	Dark Variant = iota
	Light
)

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// The backgrounds are Fyne 2.7's default theme's (window and input
// background); the tile fill is the input background.
var palettes = [2][roleCount]color.NRGBA{
	Dark: {
		RoleText:      rgb(0xf3f3f3),
		RoleMuted:     rgb(0xb2b2b2),
		RoleWaiting:   rgb(0xffb74d),
		RoleWaitingBg: rgb(0xffb020),
		RoleOnWaiting: rgb(0x171718),
		RoleWorking:   rgb(0x4dd0c8),
		RoleIdle:      rgb(0xa8a8a8),
		RoleExited:    rgb(0xc3a6e8),
		RoleError:     rgb(0xff6b60),
		RoleSelected:  rgb(0x4d8dff),
		RoleFocused:   rgb(0xe0e0e0),
		RoleHeatLow:   rgb(0x66bb6a),
		RoleHeatMid:   rgb(0xfdd835),
		RoleHeatHigh:  rgb(0xff8a3d),
		RoleTileBg:    rgb(0x202023),
		RoleStale:     rgb(0x8c8c8c),
	},
	Light: {
		RoleText:      rgb(0x3a3a3a),
		RoleMuted:     rgb(0x616161),
		RoleWaiting:   rgb(0x8a4f00),
		RoleWaitingBg: rgb(0xffb020),
		RoleOnWaiting: rgb(0x1a1a1a),
		RoleWorking:   rgb(0x00695c),
		RoleIdle:      rgb(0x5f5f5f),
		RoleExited:    rgb(0x6a4c93),
		RoleError:     rgb(0xc62828),
		RoleSelected:  rgb(0x1565c0),
		RoleFocused:   rgb(0x424242),
		RoleHeatLow:   rgb(0x2e7d32),
		RoleHeatMid:   rgb(0xa87b00),
		RoleHeatHigh:  rgb(0xd84315),
		RoleTileBg:    rgb(0xf3f3f3),
		RoleStale:     rgb(0x686868),
	},
}

// Backgrounds of Fyne's default theme, for contrast checks.
var windowBg = [2]color.NRGBA{Dark: rgb(0x171718), Light: rgb(0xffffff)}

// Color returns the colour of role r in variant v.
func Color(v Variant, r Role) color.NRGBA { return palettes[v][r] }

// WindowBackground is the window's background in variant v.
func WindowBackground(v Variant) color.NRGBA { return windowBg[v] }

func channel(c uint8) float64 {
	s := float64(c) / 255
	if s <= 0.03928 {
		return s / 12.92
	}
	return math.Pow((s+0.055)/1.055, 2.4)
}

func luminance(c color.NRGBA) float64 {
	return 0.2126*channel(c.R) + 0.7152*channel(c.G) + 0.0722*channel(c.B)
}

// Contrast is the WCAG contrast ratio of two colours (1 to 21).
func Contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Heat is the bar colour for a CPU figure (100 = one core).
func Heat(cpu float64) Role {
	switch {
	case cpu >= 80:
		return RoleHeatHigh
	case cpu >= 30:
		return RoleHeatMid
	}
	return RoleHeatLow
}
