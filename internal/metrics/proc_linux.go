package metrics

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// linuxReader reads /proc/PID/stat: everything the sampler needs is on
// that one line. It keeps what it learned between ticks: each pid is
// classified once — a pane process (on a pane's terminal, or a descendant
// of one) or not — and only pane processes are read again each tick, plus
// newcomers for their first seconds (a new shell opens its terminal just
// after it starts). One directory read per tick finds new pids. A full pass
// over every process runs as a safety net every fullEvery, and at once when
// a new pane's terminal appears. Pane processes' stat files stay open and
// are re-read with pread; an open /proc/PID/stat stays bound to its process
// (reads fail with ESRCH once it exits), so a reused pid cannot be confused
// with the old process.
type linuxReader struct {
	known    map[int32]*known
	paneTTYs map[uint64]bool
	fullDue  bool
	lastFull time.Time
	now      func() time.Time
	// statReads counts stat files read (tests).
	statReads int
	procFD    int // /proc, kept open
	gen       int
	dents     []byte
	pidBuf    []int32

	buf      []byte
	pageSize uint64
	boot     time.Time
	fds      map[int32]int
	statm    map[int32]int
	maxFDs   int
	// statRSSComplete: this kernel's stat rss counts anonymous pages, so
	// statm need not be read (true on ordinary Linux).
	statRSSComplete bool
}

// clkTck is USER_HZ, the unit of utime/stime/starttime; 100 on every Linux
// architecture's user ABI.
const clkTck = 100

// known is what the reader learned of a pid.
type known struct {
	pane  bool      // a pane process: read every tick
	first time.Time // first seen (newcomers are read again for a while)
	ppid  int32
	gen   int // the last read that listed it
}

const (
	// fullEvery is how often every process is read again, in case one
	// joined a pane in a way the incremental pass cannot see.
	fullEvery = 30 * time.Second
	// newcomer is how long a new process is read every tick before it is
	// left alone: a pane's shell sets its controlling terminal just after
	// it starts.
	newcomer = 3 * time.Second
)

func newReader() procReader {
	return &linuxReader{buf: make([]byte, 4096), pageSize: uint64(os.Getpagesize()), boot: bootTime(),
		fds: map[int32]int{}, statm: map[int32]int{}, maxFDs: fdBudget(), statRSSComplete: statRSSComplete(),
		known: map[int32]*known{}, paneTTYs: map[uint64]bool{}, fullDue: true, now: time.Now}
}

// watch sets the panes' terminals; a terminal not seen before makes the
// next read a full pass (its processes may have been classified already).
func (r *linuxReader) watch(ttys map[uint64]bool) {
	for t := range ttys {
		if !r.paneTTYs[t] {
			r.fullDue = true
		}
	}
	r.paneTTYs = ttys
}

// fdBudget is how many stat (and statm) files may stay open: a quarter of the soft
// descriptor limit, at most 8192, so the app never runs short of fds.
func fdBudget() int {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return 128
	}
	return int(min(lim.Cur/8, 8192)) // per map: stat and statm
}

// statRSSComplete compares this process's stat rss with its statm
// resident count. Ordinary Linux computes both from the same counters, so
// they agree; a kernel whose stat leaves anonymous pages out never does (a
// process always has some). Three tries ride out memory changing between
// the two reads.
func statRSSComplete() bool {
	var buf [1024]byte
	for range 3 {
		n, ok := readOnce("/proc/self/stat", buf[:])
		if !ok {
			return false
		}
		p, ok := parseStat(buf[:n])
		if !ok {
			return false
		}
		m, ok := readOnce("/proc/self/statm", buf[:])
		if !ok {
			return false
		}
		fields := bytes.Fields(buf[:m])
		if len(fields) < 2 {
			return false
		}
		if resident, ok := atoi(fields[1]); ok && uint64(resident) == p.RSS {
			return true
		}
	}
	return false
}

func readOnce(path string, buf []byte) (int, bool) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, false
	}
	defer unix.Close(fd)
	n, err := unix.Read(fd, buf)
	return n, err == nil && n > 0
}

// pids lists the processes: one pass of getdents over /proc, through a
// descriptor kept open between ticks and a reused buffer, with no string
// made per entry (os.ReadDir would allocate one per process each tick).
func (r *linuxReader) pids() ([]int32, error) {
	if r.procFD <= 0 {
		fd, err := unix.Open("/proc", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, err
		}
		r.procFD = fd
	} else if _, err := unix.Seek(r.procFD, 0, 0); err != nil {
		return nil, err
	}
	if r.dents == nil {
		r.dents = make([]byte, 64<<10)
	}
	out := r.pidBuf[:0]
	for {
		n, err := unix.Getdents(r.procFD, r.dents)
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			break
		}
		// struct linux_dirent64 { u64 ino; s64 off; u16 reclen; u8 type; char name[]; }
		for off := 0; off+19 < n; {
			reclen := int(binary.NativeEndian.Uint16(r.dents[off+16:]))
			if reclen <= 0 {
				break
			}
			name := r.dents[off+19 : off+reclen]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			if len(name) > 0 && name[0] >= '1' && name[0] <= '9' {
				if pid, ok := atoi(name); ok {
					out = append(out, int32(pid))
				}
			}
			off += reclen
		}
	}
	r.pidBuf = out
	return out, nil
}

// Close releases the kept stat files.
func (r *linuxReader) Close() {
	if r.procFD > 0 {
		unix.Close(r.procFD)
		r.procFD = 0
	}
	for _, m := range []map[int32]int{r.fds, r.statm} {
		for pid, fd := range m {
			unix.Close(fd)
			delete(m, pid)
		}
	}
}

// readStat reads pid's stat line into r.buf, through a kept descriptor when
// it has one (classify closes those of processes that are not a pane's).
func (r *linuxReader) readStat(pid int32) (int, bool) {
	r.statReads++
	if fd, ok := r.fds[pid]; ok {
		n, err := unix.Pread(fd, r.buf, 0)
		if err == nil && n > 0 && n < len(r.buf) {
			return n, true
		}
		unix.Close(fd) // the process is gone (ESRCH)
		delete(r.fds, pid)
		return 0, false
	}
	fd, err := unix.Open("/proc/"+strconv.Itoa(int(pid))+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, false
	}
	n, err := unix.Read(fd, r.buf)
	if err != nil || n <= 0 || n >= len(r.buf) {
		unix.Close(fd)
		return 0, false
	}
	if len(r.fds) < r.maxFDs {
		r.fds[pid] = fd
	} else {
		unix.Close(fd)
	}
	return n, true
}

func bootTime() time.Time {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("btime ")); ok {
			if n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64); err == nil {
				return time.Unix(n, 0)
			}
		}
	}
	return time.Time{}
}

func (r *linuxReader) ttys() bool { return true }

func (r *linuxReader) read() ([]procInfo, error) {
	pids, err := r.pids()
	if err != nil {
		return nil, fmt.Errorf("read process table: %w", err)
	}
	now := r.now()
	full := r.fullDue || now.Sub(r.lastFull) >= fullEvery
	procs := make([]procInfo, 0, 64)
	r.gen++
	for _, pid := range pids {
		if k := r.known[pid]; k != nil {
			k.gen = r.gen
		}
		k := r.known[pid]
		if !full && k != nil && !k.pane && now.Sub(k.first) >= newcomer {
			continue // known not to be a pane's: left alone until the next full pass
		}
		n, ok := r.readStat(pid)
		if !ok {
			continue // vanished since readdir
		}
		p, ok := parseStat(r.buf[:n])
		if !ok {
			continue
		}
		p.RSS *= r.pageSize
		p.Start = r.boot.Add(time.Duration(p.startKey) * time.Second / clkTck)
		if k == nil {
			k = &known{first: now, gen: r.gen}
			r.known[pid] = k
		}
		k.ppid = p.PPID
		procs = append(procs, p)
	}
	for pid, k := range r.known {
		if k.gen != r.gen {
			delete(r.known, pid) // gone
		}
	}
	for _, m := range []map[int32]int{r.fds, r.statm} {
		for pid, fd := range m {
			if k := r.known[pid]; k == nil {
				unix.Close(fd)
				delete(m, pid)
			}
		}
	}
	out := r.classify(procs, full)
	if full {
		r.fullDue, r.lastFull = false, now
	}
	return out, nil
}

// classify marks pane processes — on a pane's terminal, or descended from
// one — and returns them. A full pass classifies every process afresh
// (parents first, whatever their pids); an incremental pass only the ones
// it read, by their terminal or a parent already known to be a pane's.
func (r *linuxReader) classify(procs []procInfo, full bool) []procInfo {
	isPane := make(map[int32]bool, len(procs))
	if full {
		children := make(map[int32][]int32, len(procs))
		var queue []int32
		for _, p := range procs {
			children[p.PPID] = append(children[p.PPID], p.PID)
			if p.TTY != 0 && r.paneTTYs[p.TTY] {
				queue = append(queue, p.PID)
			}
		}
		for len(queue) > 0 {
			pid := queue[0]
			queue = queue[1:]
			if isPane[pid] {
				continue
			}
			isPane[pid] = true
			queue = append(queue, children[pid]...)
		}
	} else {
		// Parents come before children in pid order except after pid
		// wrap-around, which the next full pass mends.
		for _, p := range procs {
			if r.paneTTYs[p.TTY] && p.TTY != 0 || isPane[p.PPID] {
				isPane[p.PID] = true
			} else if k := r.known[p.PPID]; k != nil && k.pane {
				isPane[p.PID] = true
			}
		}
	}
	out := procs[:0]
	for _, p := range procs {
		k := r.known[p.PID]
		if k != nil {
			k.pane = isPane[p.PID]
		}
		if isPane[p.PID] {
			out = append(out, p)
		} else if fd, ok := r.fds[p.PID]; ok {
			// Not a pane's: its stat file need not stay open.
			unix.Close(fd)
			delete(r.fds, p.PID)
		}
	}
	return out
}

// fill replaces RSS with the resident figure of /proc/PID/statm, for pane
// processes only. On some kernels (seen in a sandboxed one) the rss field
// of /proc/PID/stat counts file-backed pages only, while statm, VmRSS and
// ps count anonymous memory too, which is most of an agent's memory.
func (r *linuxReader) fill(p *procInfo) {
	if r.statRSSComplete {
		return
	}
	fd, ok := r.statm[p.PID]
	if !ok {
		var err error
		fd, err = unix.Open("/proc/"+strconv.Itoa(int(p.PID))+"/statm", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return
		}
		if len(r.statm) < r.maxFDs {
			r.statm[p.PID] = fd
		} else {
			defer unix.Close(fd)
		}
	}
	var buf [128]byte
	n, err := unix.Pread(fd, buf[:], 0)
	if err != nil || n <= 0 {
		unix.Close(fd)
		delete(r.statm, p.PID)
		return
	}
	// "size resident shared text lib data dt", in pages.
	f := buf[:n]
	if i := bytes.IndexByte(f, ' '); i >= 0 {
		f = f[i+1:]
		if j := bytes.IndexByte(f, ' '); j >= 0 {
			if pages, ok := atoi(f[:j]); ok {
				p.RSS = uint64(pages) * r.pageSize
			}
		}
	}
}

func (r *linuxReader) cmdline(pid int32) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/cmdline")
	if err != nil {
		return ""
	}
	b = bytes.TrimRight(b, "\x00")
	if len(b) == 0 {
		return ""
	}
	parts := bytes.Split(b, []byte{0})
	args := make([]string, len(parts))
	for i, p := range parts {
		args[i] = string(p)
	}
	return joinArgs(args)
}

// parseStat parses /proc/PID/stat. comm may hold spaces and parentheses,
// so the fields start after the last ')'. RSS is in pages; startKey is
// starttime in clock ticks since boot.
func parseStat(b []byte) (procInfo, bool) {
	var p procInfo
	open := bytes.IndexByte(b, '(')
	closeIdx := bytes.LastIndexByte(b, ')')
	if open < 1 || closeIdx < open || closeIdx+2 >= len(b) {
		return p, false
	}
	pid, ok := atoi(bytes.TrimSpace(b[:open]))
	if !ok {
		return p, false
	}
	p.PID = int32(pid)
	p.Name = string(b[open+1 : closeIdx])
	rest := b[closeIdx+2:]
	field := 0
	for len(rest) > 0 && field <= 21 {
		end := bytes.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		f := rest[:end]
		switch field {
		case 0:
			p.State = stateName(f)
		case 1, 2, 4, 5, 11, 12, 19, 21:
			v, ok := atoi(f)
			if !ok || v < 0 && field != 4 && field != 5 {
				return p, false
			}
			switch field {
			case 1:
				p.PPID = int32(v)
			case 2:
				p.PGID = int32(v)
			case 4:
				p.TTY = ttyFromProc(v)
			case 5:
				p.TPGID = int32(v)
			case 11, 12:
				p.CPU += float64(v) / clkTck
			case 19:
				p.startKey = uint64(v)
			case 21:
				p.RSS = uint64(max(v, 0))
			}
		}
		field++
		if end == len(rest) {
			break
		}
		rest = rest[end+1:]
	}
	if field <= 21 {
		return p, false
	}
	p.filled = true
	return p, true
}

// atoi parses a possibly negative decimal without allocating.
func atoi(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, len(b) > 0
}

var states = map[byte]string{'R': "running", 'S': "sleeping", 'D': "disk-sleep", 'Z': "zombie",
	'T': "stopped", 't': "tracing-stop", 'X': "dead", 'I': "idle", 'W': "paging", 'P': "parked"}

func stateName(f []byte) string {
	if len(f) == 1 {
		if s, ok := states[f[0]]; ok {
			return s
		}
	}
	return string(f)
}

// ttyFromProc decodes the kernel's tty_nr (new_encode_dev) into the same
// major<<32|minor form ttyID uses. 0 means no controlling terminal.
func ttyFromProc(v int64) uint64 {
	if v <= 0 {
		return 0
	}
	u := uint64(v)
	major := (u >> 8) & 0xfff
	minor := (u & 0xff) | ((u >> 12) & 0xfff00)
	return major<<32 | minor
}

// ttyKey encodes a device number the way procInfo.TTY does.
func ttyKey(rdev uint64) uint64 { return uint64(unix.Major(rdev))<<32 | uint64(unix.Minor(rdev)) }
