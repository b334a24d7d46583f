package metrics

import (
	"context"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/load"
	"github.com/shirou/gopsutil/v4/mem"
)

// System is the whole machine.
type System struct {
	// CPUPercent is the busy share of all cores (100 = every core busy);
	// nil on the first tick, which has nothing to compare with.
	CPUPercent *float64  `json:"cpu_percent"`
	PerCore    []float64 `json:"per_core_percent,omitempty"`
	MemUsed    uint64    `json:"mem_used_bytes"`
	MemTotal   uint64    `json:"mem_total_bytes"`
	MemAvail   uint64    `json:"mem_available_bytes"`
	SwapUsed   uint64    `json:"swap_used_bytes"`
	SwapTotal  uint64    `json:"swap_total_bytes"`
	Load1      float64   `json:"load1"`
	Load5      float64   `json:"load5"`
	Load15     float64   `json:"load15"`
}

// cpuTicks is busy and total time of one CPU (or all).
type cpuTicks struct{ busy, total float64 }

func ticksOf(t cpu.TimesStat) cpuTicks {
	idle := t.Idle + t.Iowait
	// Guest time is already counted in User/Nice on Linux.
	total := t.User + t.System + t.Idle + t.Nice + t.Iowait + t.Irq + t.Softirq + t.Steal
	return cpuTicks{busy: total - idle, total: total}
}

// busyPercent is the busy share between two readings, clamped to 0..100.
// ok is false when no time passed (or the counters went backwards).
func busyPercent(prev, cur cpuTicks) (float64, bool) {
	dt := cur.total - prev.total
	if dt <= 0 {
		return 0, false
	}
	return clamp((cur.busy-prev.busy)/dt*100, 0, 100), true
}

func clamp(v, lo, hi float64) float64 { return max(lo, min(v, hi)) }

// readSystem fills s and returns the CPU readings for the next delta.
func readSystem(ctx context.Context, prevAll cpuTicks, prevCores []cpuTicks) (System, cpuTicks, []cpuTicks, error) {
	var s System
	cores, err := cpu.TimesWithContext(ctx, true)
	if err != nil {
		return s, prevAll, prevCores, err
	}
	var all cpuTicks
	cur := make([]cpuTicks, len(cores))
	for i, c := range cores {
		cur[i] = ticksOf(c)
		all.busy += cur[i].busy
		all.total += cur[i].total
	}
	if prevCores != nil && len(prevCores) == len(cur) {
		if pct, ok := busyPercent(prevAll, all); ok {
			s.CPUPercent = &pct
		}
		s.PerCore = make([]float64, len(cur))
		for i := range cur {
			s.PerCore[i], _ = busyPercent(prevCores[i], cur[i])
		}
	}
	if vm, err := mem.VirtualMemoryWithContext(ctx); err == nil {
		s.MemTotal, s.MemAvail = vm.Total, vm.Available
		// Used as people read it (htop, free's "used" minus reclaimable):
		// what is not available.
		s.MemUsed = vm.Total - vm.Available
	}
	if sw, err := mem.SwapMemoryWithContext(ctx); err == nil {
		s.SwapUsed, s.SwapTotal = sw.Used, sw.Total
	}
	if la, err := load.AvgWithContext(ctx); err == nil {
		s.Load1, s.Load5, s.Load15 = la.Load1, la.Load5, la.Load15
	}
	return s, all, cur, nil
}
