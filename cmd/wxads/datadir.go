package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// dataDir is the data directory of a running server, held under an
// exclusive lock so that a second `wxads serve` on it refuses (SPEC §2).
type dataDir struct {
	path string
	lock *os.File
}

// openDataDir creates DIR 0700 (or tightens an existing one), makes every
// file in it 0600, checks it is writable, takes the lock, and refuses a
// wxads.db of 0 bytes: an empty database file is a failed copy or restore
// far more often than an intended empty platform, and starting on it would
// silently hide every tenant's data.
func openDataDir(dir string) (*dataDir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, dataErr(dir, "cannot create the data directory", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, dataErr(dir, "cannot make the data directory private (0700)", err)
	}
	probe := filepath.Join(dir, ".wxads-write-test")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		return nil, dataErr(dir, "the data directory is not writable", err)
	}
	os.Remove(probe)
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	d := &dataDir{path: dir, lock: lock}
	if err := d.private(); err != nil {
		d.close()
		return nil, err
	}
	if err := d.checkDB(); err != nil {
		d.close()
		return nil, err
	}
	return d, nil
}

// private makes every regular file in the directory 0600, whatever mode a
// copy, an older version or a umask left it with.
func (d *dataDir) private() error {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return dataErr(d.path, "cannot list the data directory", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := os.Chmod(filepath.Join(d.path, e.Name()), 0o600); err != nil {
			return dataErr(d.path, "cannot make "+e.Name()+" private (0600)", err)
		}
	}
	return nil
}

// checkDB refuses an empty wxads.db. A missing one is created by SQLite;
// serve calls private again once it is open, for it and its -wal and -shm
// (created 0644; the 0700 directory already keeps them from other users).
func (d *dataDir) checkDB() error {
	path := d.dbPath()
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.Size() == 0:
		return fmt.Errorf("%s is empty (0 bytes), likely a failed copy or restore; refusing to start an empty "+
			"platform on it. Restore the real file, or delete it to start a new platform. "+
			"数据库文件为空（0 字节），可能是复制或恢复失败；请恢复原文件，或删除它以新建平台", path)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return dataErr(d.path, "cannot read wxads.db", err)
	}
	return nil
}

// dbPath is the SQLite database file.
func (d *dataDir) dbPath() string { return filepath.Join(d.path, "wxads.db") }

func (d *dataDir) close() {
	if d.lock != nil {
		d.lock.Close() // releases the flock
		d.lock = nil
	}
}

// lockDir takes an exclusive, non-blocking flock on DIR/wxads.lock and
// writes our pid in it. The kernel drops the lock when the process dies, so
// a crash never leaves a stale lock behind.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "wxads.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, dataErr(dir, "cannot open the lock file", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			owner := "another process"
			if b, err := os.ReadFile(path); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					owner = fmt.Sprintf("process %d", pid)
				}
			}
			return nil, fmt.Errorf("data directory %s is in use by %s (another wxads serve); stop it or give "+
				"this one another --data. 数据目录正被另一个 wxads serve（%s）使用", dir, owner, owner)
		}
		return nil, dataErr(dir, "cannot lock the data directory", err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// dataErr says what failed on the data directory and how to fix it: a
// read-only directory or file system is named as such, not as "no such file".
func dataErr(dir, what string, err error) error {
	hint := ""
	switch {
	case errors.Is(err, syscall.EROFS):
		hint = ": the file system is read-only; give --data a writable directory. 文件系统只读，请使用可写的数据目录"
	case errors.Is(err, fs.ErrPermission):
		hint = ": permission denied; give --data a directory this user can write, or fix its owner and mode. " +
			"没有写权限，请换一个可写的数据目录或修改其属主和权限"
	}
	return fmt.Errorf("--data %s: %s: %w%s", dir, what, err, hint)
}
