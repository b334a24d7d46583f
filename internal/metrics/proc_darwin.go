package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/shirou/gopsutil/v4/process"
	"golang.org/x/sys/unix"
)

// darwinReader lists processes with one sysctl (pid, parent, group,
// terminal device, foreground group); gopsutil fills CPU and RSS only for
// processes that belong to a pane. gopsutil's Terminal() is not implemented
// on macOS, hence the sysctl.
type darwinReader struct{}

func newReader() procReader { return darwinReader{} }

func (darwinReader) ttys() bool { return true }

func (darwinReader) Close() {}

func (darwinReader) watch(map[uint64]bool) {}

func (darwinReader) read() ([]procInfo, error) {
	kps, err := unix.SysctlKinfoProcSlice("kern.proc.all")
	if err != nil {
		return nil, fmt.Errorf("read process table: %w", err)
	}
	procs := make([]procInfo, 0, len(kps))
	for i := range kps {
		k := &kps[i]
		if k.Proc.P_pid == 0 {
			continue
		}
		p := procInfo{
			PID: k.Proc.P_pid, PPID: k.Eproc.Ppid, PGID: k.Eproc.Pgid, TPGID: k.Eproc.Tpgid,
			Name:  unix.ByteSliceToString(k.Proc.P_comm[:]),
			State: darwinState(k.Proc.P_stat),
			Start: time.Unix(k.Proc.P_starttime.Sec, int64(k.Proc.P_starttime.Usec)*1000),
		}
		// NODEV is -1: no controlling terminal.
		if k.Eproc.Tdev != -1 {
			p.TTY = uint64(uint32(k.Eproc.Tdev))
		}
		p.startKey = uint64(p.Start.UnixMicro())
		procs = append(procs, p)
	}
	return procs, nil
}

func darwinState(s int8) string {
	switch s {
	case 1:
		return "idle"
	case 2:
		return "running"
	case 3:
		return "sleeping"
	case 4:
		return "stopped"
	case 5:
		return "zombie"
	}
	return "unknown"
}

func (darwinReader) fill(p *procInfo) {
	if p.filled {
		return
	}
	p.filled = true
	ctx := context.Background()
	gp, err := process.NewProcessWithContext(ctx, p.PID)
	if err != nil {
		return
	}
	if t, err := gp.TimesWithContext(ctx); err == nil {
		p.CPU = t.User + t.System
	}
	if m, err := gp.MemoryInfoWithContext(ctx); err == nil {
		p.RSS = m.RSS
	}
}

func (darwinReader) cmdline(pid int32) string {
	gp, err := process.NewProcess(pid)
	if err != nil {
		return ""
	}
	args, err := gp.CmdlineSlice()
	if err != nil {
		return ""
	}
	return joinArgs(args)
}

// ttyKey encodes a device number the way procInfo.TTY does.
func ttyKey(rdev uint64) uint64 { return uint64(uint32(rdev)) }
