package spend

import (
	"fmt"
	"math"
)

// HumanTokens prints a token count short: 950, 12.3k, 4.56M.
func HumanTokens(n int64) string {
	f := float64(n)
	switch {
	case n < 1000:
		return fmt.Sprintf("%d", n)
	case n < 1_000_000:
		return trim(f/1e3, "k")
	case n < 1_000_000_000:
		return trim(f/1e6, "M")
	}
	return trim(f/1e9, "G")
}

func trim(v float64, unit string) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f%s", math.Floor(v*100)/100, unit)
	case v < 100:
		return fmt.Sprintf("%.1f%s", math.Floor(v*10)/10, unit)
	}
	return fmt.Sprintf("%.0f%s", math.Floor(v), unit)
}

// USD prints a cost: "$12.34", "<$0.01", or "unknown" (nil: a model without
// a price), never "$0.00" for something that cost a little.
func USD(v *float64) string {
	switch {
	case v == nil:
		return "unknown"
	case *v == 0:
		return "$0"
	case *v < 0.01:
		return "<$0.01"
	case *v < 1000:
		return fmt.Sprintf("$%.2f", *v)
	}
	return fmt.Sprintf("$%.0f", *v)
}

// Rate prints a $/h rate ("" when unknown or nothing in the window).
func Rate(v *float64) string {
	if v == nil || *v == 0 {
		return ""
	}
	return USD(v) + "/h"
}
