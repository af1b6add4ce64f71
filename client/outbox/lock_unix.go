//go:build unix

package outbox

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// lockDir takes an exclusive flock on dir/outbox.lock, so a second Outbox
// on the same directory — in another process or in this one — fails at Open
// instead of sending the same actions twice. The kernel drops the lock when
// the process dies, kill -9 included, so there is never a stale lock to clear.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("outbox: lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		buf := make([]byte, 32)
		n, _ := f.ReadAt(buf, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := strings.TrimSpace(string(buf[:n]))
			if holder == "" {
				holder = "unknown"
			}
			return nil, fmt.Errorf("%w: %s is held by pid %s; one directory serves one Outbox at a time "+
				"(outbox 目录已被另一个进程占用，请停止它或使用另一个目录)", ErrLocked, path, holder)
		}
		return nil, fmt.Errorf("outbox: lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}
