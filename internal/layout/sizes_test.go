package layout

import (
	"slices"
	"testing"
)

func TestExtents(t *testing.T) {
	n := func(sizes ...Size) []*Node {
		var out []*Node
		for _, s := range sizes {
			out = append(out, &Node{Size: s})
		}
		return out
	}
	tests := []struct {
		name  string
		ext   int
		nodes []*Node
		want  []int
		ok    bool
	}{
		{"two equal", 160, n(Size{}, Size{}), []int{80, 79}, true},
		{"three equal", 160, n(Size{}, Size{}, Size{}), []int{53, 52, 53}[:0], true},
		{"percent and rest", 160, n(Size{}, Size{Percent: 30}), []int{111, 48}, true},
		{"cells", 48, n(Size{Cells: 10}, Size{}), []int{10, 37}, true},
		{"all sized", 100, n(Size{Percent: 20}, Size{Percent: 30}), []int{20, 79}, true},
		{"too small", 2, n(Size{}, Size{}), nil, false},
	}
	for _, tt := range tests {
		got, ok := Extents(tt.ext, tt.nodes)
		if ok != tt.ok {
			t.Errorf("%s: ok = %v", tt.name, ok)
			continue
		}
		if !ok {
			continue
		}
		sum := len(got) - 1
		for _, s := range got {
			sum += s
		}
		if sum != tt.ext {
			t.Errorf("%s: %v does not fill %d", tt.name, got, tt.ext)
		}
		if len(tt.want) > 0 && !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestGeometry(t *testing.T) {
	root, _ := expandGrid("2x2", &Node{})
	rects, ok := Geometry(&Tab{Root: root}, 160, 48)
	if !ok || len(rects) != 4 {
		t.Fatalf("rects = %+v %v", rects, ok)
	}
	want := []Rect{{0, 0, 80, 24, nil}, {0, 25, 80, 23, nil}, {81, 0, 79, 24, nil}, {81, 25, 79, 23, nil}}
	for i, r := range rects {
		r.Node = nil
		if r != want[i] {
			t.Errorf("rect %d = %+v, want %+v", i, r, want[i])
		}
	}
}
