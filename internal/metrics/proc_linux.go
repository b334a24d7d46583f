package metrics

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// linuxReader reads /proc/PID/stat once per process per tick: everything
// the sampler needs is on that one line. It keeps each stat file open
// between ticks and re-reads it with pread: one syscall per process instead
// of open+read+close. An open /proc/PID/stat stays bound to its process
// (reads fail with ESRCH once it exits), so a reused pid cannot be confused
// with the old process.
type linuxReader struct {
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

func newReader() procReader {
	return &linuxReader{buf: make([]byte, 4096), pageSize: uint64(os.Getpagesize()), boot: bootTime(),
		fds: map[int32]int{}, statm: map[int32]int{}, maxFDs: fdBudget(), statRSSComplete: statRSSComplete()}
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

// Close releases the kept stat files.
func (r *linuxReader) Close() {
	for _, m := range []map[int32]int{r.fds, r.statm} {
		for pid, fd := range m {
			unix.Close(fd)
			delete(m, pid)
		}
	}
}

// readStat reads pid's stat line into r.buf, through a kept descriptor when
// it has one.
func (r *linuxReader) readStat(pid int32, name string) (int, bool) {
	if fd, ok := r.fds[pid]; ok {
		n, err := unix.Pread(fd, r.buf, 0)
		if err == nil && n > 0 && n < len(r.buf) {
			return n, true
		}
		unix.Close(fd) // the process is gone (ESRCH)
		delete(r.fds, pid)
		return 0, false
	}
	fd, err := unix.Open("/proc/"+name+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
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
	d, err := os.Open("/proc")
	if err != nil {
		return nil, fmt.Errorf("read process table: %w", err)
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, fmt.Errorf("read process table: %w", err)
	}
	procs := make([]procInfo, 0, len(names))
	seen := make(map[int32]bool, len(names))
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		pid, ok := atoi([]byte(name))
		if !ok {
			continue
		}
		seen[int32(pid)] = true
		n, ok := r.readStat(int32(pid), name)
		if !ok {
			continue // vanished since readdir
		}
		p, ok := parseStat(r.buf[:n])
		if !ok {
			continue
		}
		p.RSS *= r.pageSize
		p.Start = r.boot.Add(time.Duration(p.startKey) * time.Second / clkTck)
		procs = append(procs, p)
	}
	for _, m := range []map[int32]int{r.fds, r.statm} {
		for pid, fd := range m {
			if !seen[pid] {
				unix.Close(fd)
				delete(m, pid)
			}
		}
	}
	return procs, nil
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
