package metrics

import "time"

// Sample is one point of a history.
type Sample struct {
	T   time.Time
	CPU float64 // percent (100 = one core), or of the machine for the system
	Mem uint64  // bytes: RSS for a pane, used memory for the system
}

// Ring is a fixed-size history, oldest first. The zero value holds nothing;
// use NewRing.
type Ring struct {
	buf   []Sample
	start int
	n     int
}

// NewRing returns a ring holding the last capacity samples (at least 1).
func NewRing(capacity int) *Ring {
	return &Ring{buf: make([]Sample, max(1, capacity))}
}

// Push appends s, dropping the oldest sample when full.
func (r *Ring) Push(s Sample) {
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = s
		r.n++
		return
	}
	r.buf[r.start] = s
	r.start = (r.start + 1) % len(r.buf)
}

// Len is the number of samples held.
func (r *Ring) Len() int { return r.n }

// Cap is the most samples the ring holds.
func (r *Ring) Cap() int { return len(r.buf) }

// At returns the i-th sample, oldest first.
func (r *Ring) At(i int) Sample { return r.buf[(r.start+i)%len(r.buf)] }

// Samples returns a copy, oldest first.
func (r *Ring) Samples() []Sample {
	out := make([]Sample, r.n)
	for i := range out {
		out[i] = r.At(i)
	}
	return out
}

// tail returns a copy of up to the last n samples, oldest first.
func (r *Ring) tail(n int) []Sample {
	n = min(n, r.n)
	out := make([]Sample, n)
	for i := range out {
		out[i] = r.At(r.n - n + i)
	}
	return out
}
