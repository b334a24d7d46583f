// Package widgets holds the window's own Fyne widgets: the pane map's
// tiles drawn to scale (PaneGrid, Tile) with their sparklines, text that
// fits a width without cutting numbers (Fit, FitFirst), and the theme with
// the colour roles viewmodel assigns (RoleColor).
package widgets
