package server

import (
	"context"
	"net"
	"net/http"
	"sync"
)

type controllerKey struct{}

// guard is the outermost middleware: every response, errors and 404s
// included, says nosniff (a JSON body never gets sniffed into HTML), and the
// connection's ResponseController is kept for the body reader's deadlines
// (the wrappers further in do not unwrap to it).
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		ctx := context.WithValue(r.Context(), controllerKey{}, http.NewResponseController(w))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func responseControllerOf(r *http.Request, w http.ResponseWriter) *http.ResponseController {
	if rc, ok := r.Context().Value(controllerKey{}).(*http.ResponseController); ok {
		return rc
	}
	return http.NewResponseController(w)
}

// LimitListener accepts at most n connections at once; the next Accept
// waits until one closes, so excess clients wait in the kernel's backlog
// instead of each holding a goroutine and buffers here. (The pattern of
// golang.org/x/net/netutil, which is not a dependency.)
func LimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
