package viewmodel

import "testing"

// Text roles keep 4.5:1 against where they are drawn, in both themes;
// graphics (bars, borders) keep 3:1.
func TestContrast(t *testing.T) {
	text := []Role{RoleText, RoleMuted, RoleWaiting, RoleWorking, RoleIdle, RoleExited, RoleError, RoleStale}
	graphics := []Role{RoleSelected, RoleFocused, RoleHeatLow, RoleHeatMid, RoleHeatHigh}
	for _, v := range []Variant{Dark, Light} {
		for _, bg := range []Role{RoleTileBg} {
			for _, r := range text {
				if c := Contrast(Color(v, r), Color(v, bg)); c < 4.5 {
					t.Errorf("variant %d: text role %d on the tile: %.2f:1", v, r, c)
				}
				if c := Contrast(Color(v, r), WindowBackground(v)); c < 4.5 {
					t.Errorf("variant %d: text role %d on the window: %.2f:1", v, r, c)
				}
			}
			for _, r := range graphics {
				if c := Contrast(Color(v, r), Color(v, bg)); c < 3 {
					t.Errorf("variant %d: graphic role %d on the tile: %.2f:1", v, r, c)
				}
			}
		}
		if c := Contrast(Color(v, RoleOnWaiting), Color(v, RoleWaitingBg)); c < 4.5 {
			t.Errorf("variant %d: the needs-you chip: %.2f:1", v, c)
		}
	}
}

// One meaning per colour: no two status roles share a colour, and error
// red is not the waiting or heat colour.
func TestOneMeaningPerColour(t *testing.T) {
	for _, v := range []Variant{Dark, Light} {
		seen := map[[3]uint8]Role{}
		for _, r := range []Role{RoleWaiting, RoleWorking, RoleIdle, RoleExited, RoleError, RoleSelected, RoleFocused, RoleHeatHigh} {
			c := Color(v, r)
			k := [3]uint8{c.R, c.G, c.B}
			if o, ok := seen[k]; ok {
				t.Errorf("variant %d: roles %d and %d share a colour", v, o, r)
			}
			seen[k] = r
		}
	}
	if Heat(5) != RoleHeatLow || Heat(50) != RoleHeatMid || Heat(94) != RoleHeatHigh {
		t.Error("heat levels")
	}
}
