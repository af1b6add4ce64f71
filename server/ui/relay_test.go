package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/inmem"
	"github.com/wxads/wxads/relay"
	"github.com/wxads/wxads/server"
	"github.com/wxads/wxads/sqlite"
	"github.com/wxads/wxads/wxadstest"
)

// The relay page shows the queue of a relaying server: the seeded uploads,
// refused upstream (their sets map to no upstream set), are dead letters
// with 31011; the replay button makes them pending again.
func TestAdminRelayPage(t *testing.T) {
	up := wxadstest.NewServer(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := relay.Open(relay.Config{Dir: t.TempDir(), UpstreamURL: up.URL, AppID: up.AppID, Secret: up.Secret,
		Sets: map[int64]int64{1: 987654321, 2: 987654322}, Logger: quiet,
		OutboxOptions: []outbox.Option{outbox.WithBackoff(time.Millisecond, 10*time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := wxads.SystemClock{}
	srv := server.New(server.Config{Stores: db, Nonces: inmem.NewNonceStore(clock), Clock: clock, AdminToken: testAdminToken,
		ServerKey: []byte("ui-test-server-key"), Logger: quiet, Forwarder: r})
	w := &world{t: t, db: db, srv: httptest.NewServer(srv)}
	t.Cleanup(func() {
		w.srv.Close()
		r.Close()
		srv.Close()
		db.Close()
	})
	w.appid, w.secret, w.setID = w.seedAdvertiser("Demo Advertiser", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	c := w.browser()
	w.signInAdmin(c)
	status, body := w.get(c, "/ui/admin/relay")
	if status != http.StatusOK || !strings.Contains(body, "31011") || strings.Contains(body, "Dead: <b>0</b>") {
		t.Fatalf("no dead letter shown: %d\n%s", status, body)
	}
	token := w.csrf(c, "/ui/admin/relay")
	w.post(c, "/ui/admin/relay", url.Values{"csrf": {token}, "op": {"replay"}})
	if _, body = w.get(c, "/ui/admin/relay"); !strings.Contains(body, "pending again:") {
		t.Errorf("the replay is not announced:\n%s", body)
	}
}

// Without --upstream the page says the server relays nothing.
func TestAdminRelayPageOff(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	w.signInAdmin(c)
	if status, body := w.get(c, "/ui/admin/relay"); status != http.StatusOK || !strings.Contains(body, "--upstream") {
		t.Errorf("%d\n%s", status, body)
	}
}
