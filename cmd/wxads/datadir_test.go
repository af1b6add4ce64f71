package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// runErr parses args and runs Main, expecting Run to fail; it returns the error.
func runErr(t *testing.T, args ...string) error {
	t.Helper()
	m := NewMain(&lockedBuffer{}, &lockedBuffer{})
	if err := m.ParseFlags(args); err != nil {
		t.Fatalf("ParseFlags(%q): %v", args, err)
	}
	err := m.Run(context.Background())
	m.Close()
	if err == nil {
		t.Fatalf("Run(%q) started; want a refusal", args)
	}
	return err
}

// Issue 12 item 6: an existing 0755 --data with 0644 files becomes 0700
// with every file 0600, the database and its -wal/-shm included. Before,
// wxads.db was left 0644.
func TestDataDirPrivate(t *testing.T) {
	data := filepath.Join(t.TempDir(), "d")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "admin-token"), []byte("an-admin-token-of-some-length\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		fi, err := os.Stat(data)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("data directory mode %v, %v; want 0700", fi.Mode().Perm(), err)
		}
		entries, _ := os.ReadDir(data)
		var names []string
		for _, e := range entries {
			info, _ := e.Info()
			names = append(names, e.Name())
			if info.Mode().IsRegular() && info.Mode().Perm() != 0o600 {
				t.Errorf("%s mode %v, want 0600", e.Name(), info.Mode().Perm())
			}
		}
		for _, want := range []string{"wxads.db", "wxads.db-wal", "server.key", "admin-token", "wxads.lock"} {
			if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
				t.Errorf("%s missing from %v", want, names)
			}
		}
	}
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", data)
	check()
	m.Close()
	// A copy or an older version left the files readable: tightened at start.
	os.Chmod(data, 0o755)
	os.Chmod(filepath.Join(data, "wxads.db"), 0o644)
	m = startMain(t, "--addr", "127.0.0.1:0", "--data", data)
	defer m.Close()
	check()
}

// A second serve on the same --data refuses and names the holder's pid.
func TestDataDirLocked(t *testing.T) {
	data := t.TempDir()
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", data)
	err := runErr(t, "--addr", "127.0.0.1:0", "--data", data)
	if !strings.Contains(err.Error(), fmt.Sprintf("process %d", os.Getpid())) || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second serve: %v; want 'in use by process %d'", err, os.Getpid())
	}
	m.Close()
	// Released on Close (and by the kernel when a process dies).
	startMain(t, "--addr", "127.0.0.1:0", "--data", data).Close()
}

// A 0-byte wxads.db is refused with a clear message, not started as an
// empty platform.
func TestEmptyDatabaseRefused(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "wxads.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := runErr(t, "--addr", "127.0.0.1:0", "--data", data)
	if !strings.Contains(err.Error(), "empty (0 bytes)") || !strings.Contains(err.Error(), "restore") {
		t.Fatalf("0-byte wxads.db: %v", err)
	}
}

// A '?' or '#' in --data is refused: SQLite reads the path as a URI and
// would put the database outside the directory.
func TestDataPathURICharsRefused(t *testing.T) {
	for _, dir := range []string{"a?mode=memory", "b#c"} {
		m := NewMain(&lockedBuffer{}, &lockedBuffer{})
		err := m.ParseFlags([]string{"--data", filepath.Join(t.TempDir(), dir)})
		if err == nil || !strings.Contains(err.Error(), "may not contain") {
			t.Errorf("--data %s: %v", dir, err)
		}
	}
}

// A read-only data directory says so, not "no such file or directory".
// It needs a read-only mount, which only root can make; elsewhere the
// message is checked on a directory the user may not write.
func TestReadOnlyDataDir(t *testing.T) {
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
			if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
				t.Fatalf("cannot mount a read-only tmpfs: %v %s", err, out)
			}
			t.Skipf("cannot mount a read-only tmpfs: %v %s", err, out)
		}
		defer syscall.Unmount(dir, 0)
		err := runErr(t, "--addr", "127.0.0.1:0", "--data", dir)
		if !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("read-only mount: %v", err)
		}
		return
	}
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	err := runErr(t, "--addr", "127.0.0.1:0", "--data", dir)
	if !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("unwritable directory: %v", err)
	}
}
