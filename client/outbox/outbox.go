// Package outbox is a durable store-and-forward queue for conversions: an
// advertiser's service enqueues actions, which are on local disk when
// Enqueue returns, and a sender loop delivers them to the platform in
// batches, retrying through outages, until each is acknowledged or refused.
//
// Every action carries an outer_action_id (filled from its content when the
// caller leaves it empty) and the platform deduplicates on it, so a batch
// resent after a crash between the platform's acknowledgement and the local
// commit is not counted twice. Acknowledged by Enqueue ⇒ delivered exactly
// once, or dead-lettered with the platform's errcode.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/wxads/wxads/client"
)

// Sender sends one user_actions/add request of 1–50 actions as given.
// *client.UserActionsService (client.Client.UserActions) is one; a relay
// can wrap it to map set ids.
type Sender interface {
	AddBatch(ctx context.Context, actions []client.UserAction, opt client.AddOptions) (*client.BatchResult, error)
}

var (
	// ErrLocked is returned by Open when another Outbox holds the directory.
	ErrLocked = errors.New("outbox: directory in use")
	// ErrClosed is returned by calls after Close.
	ErrClosed = errors.New("outbox: closed")
)

// File names inside the outbox directory.
const (
	dbFile   = "outbox.db"
	lockFile = "outbox.lock"
)

// Outbox is an open outbox directory. Its methods are safe for concurrent use.
type Outbox struct {
	dir    string
	cfg    config
	sender Sender
	db     *sql.DB
	lock   *os.File

	wake    chan struct{} // Enqueue/Replay → sender, capacity 1
	closing chan struct{} // closed by Close

	reqs         chan *enqueueReq // to the group committer
	commitDone   chan struct{}    // closed when the committer has stopped
	submitMu     sync.RWMutex     // guards submitClosed against sends on a closed reqs
	submitClosed bool

	mu        sync.Mutex
	runDone   chan struct{} // non-nil while Run runs; closed when it returns
	changed   chan struct{} // closed and replaced whenever pending may have shrunk
	closed    bool
	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the outbox in dir. The directory is
// created 0700 and its files 0600; it is locked with flock on
// dir/outbox.lock for as long as the Outbox is open, so a second Open of the
// same dir fails with ErrLocked. Open does not send: call Run.
func Open(dir string, sender Sender, opts ...Option) (*Outbox, error) {
	if sender == nil {
		return nil, errors.New("outbox: Open needs a Sender, e.g. a client's UserActions")
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	lock, err := lockDir(filepath.Join(dir, lockFile))
	if err != nil {
		return nil, err
	}
	db, err := openDB(filepath.Join(dir, dbFile))
	if err != nil {
		lock.Close()
		return nil, err
	}
	o := &Outbox{dir: dir, cfg: cfg, sender: sender, db: db, lock: lock,
		wake: make(chan struct{}, 1), closing: make(chan struct{}), changed: make(chan struct{}),
		reqs: make(chan *enqueueReq, 256), commitDone: make(chan struct{})}
	go o.commitLoop()
	return o, nil
}

func openDB(path string) (*sql.DB, error) {
	// SQLite gives the -wal and -shm files the mode of the database file,
	// so creating it 0600 first keeps all three private.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	f.Close()
	db, err := sql.Open(driverName, dsn(path))
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	// One connection: SQLite has one writer anyway, and the sender holds no
	// connection while it waits on the network.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := migrate(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("outbox: %s: %w", path, err)
	}
	return db, nil
}

// Dir is the directory the Outbox was opened on.
func (o *Outbox) Dir() string { return o.dir }

// Close stops Run (an in-flight request is abandoned; its actions stay
// pending and are resent, deduplicated, next time), then closes the
// database and releases the directory lock. Pending actions stay on disk.
func (o *Outbox) Close() error {
	o.closeOnce.Do(func() {
		o.mu.Lock()
		o.closed = true
		running := o.runDone
		o.mu.Unlock()
		close(o.closing)
		if running != nil {
			<-running
		}
		o.stopCommitter()
		o.closeErr = errors.Join(o.db.Close(), o.lock.Close())
	})
	return o.closeErr
}

func (o *Outbox) isClosed() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.closed
}

// signal wakes the sender without blocking.
func (o *Outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// progressed tells Flush waiters that pending may have shrunk.
func (o *Outbox) progressed() {
	o.mu.Lock()
	close(o.changed)
	o.changed = make(chan struct{})
	o.mu.Unlock()
}

func (o *Outbox) changedCh() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.changed
}
