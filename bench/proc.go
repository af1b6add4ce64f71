package bench

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// RSS is the resident set size of process pid in bytes, read from
// /proc/PID/status (Linux only).
func RSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no VmRSS", pid)
}

// ServerPID finds the local process listening on base's port: the socket's
// inode in /proc/net/tcp{,6}, then the process holding it among
// /proc/*/fd. It returns 0 when base is not on this machine or the
// process is not readable (another user's).
func ServerPID(base string) int {
	u, err := url.Parse(base)
	if err != nil {
		return 0
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return 0
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return 0
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return 0
	}
	inode := listenInode(fmt.Sprintf(":%04X", p))
	if inode == "" {
		return 0
	}
	want := "socket:[" + inode + "]"
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		if link, err := os.Readlink(fd); err == nil && link == want {
			pid, _ := strconv.Atoi(strings.Split(fd, "/")[2])
			return pid
		}
	}
	return 0
}

// listenInode returns the inode of the listening TCP socket whose local
// address ends in portSuffix (":1F90"), "" if none.
func listenInode(portSuffix string) string {
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			// local_address rem_address st … inode; st 0A is LISTEN.
			if len(f) > 9 && strings.HasSuffix(f[1], portSuffix) && f[3] == "0A" {
				return f[9]
			}
		}
	}
	return ""
}
