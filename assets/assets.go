// Package assets holds files built into the binary: the icon and the
// bundled layouts.
package assets

import (
	"embed"
	_ "embed"
)

// Icon is the app icon (PNG).
//
//go:embed icon.png
var Icon []byte

// IconAttention is the tray icon while something needs the user.
//
//go:embed icon-attention.png
var IconAttention []byte

// Layouts holds the bundled layouts as layouts/NAME.toml.
//
//go:embed layouts/*.toml
var Layouts embed.FS

// AgentRules are the bundled agent rules (agents.toml).
//
//go:embed agents.toml
var AgentRules []byte

// Prices is the bundled model price table (prices.toml).
//
//go:embed prices.toml
var Prices []byte
