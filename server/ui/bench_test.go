package ui_test

import (
	"io"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkPages measures each page end to end over HTTP on the seeded
// world (two advertisers, 240 actions): go test -run '^$' -bench Pages ./server/ui/
func BenchmarkPages(b *testing.B) {
	w := newWorld(b)
	c := w.browser()
	w.signIn(c, w.appid, w.secret)
	set := strconv.FormatInt(w.setID, 10)
	for _, path := range []string{"/ui/sources", "/ui/sources/" + set, "/ui/sources/" + set + "?gran=HOURLY",
		"/ui/sources/" + set + "?agg=ACTION_TYPE", "/ui/ads", "/ui/diagnostics", "/ui/live", "/ui/explorer", "/ui/errcodes?q=token"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				resp, err := c.Get(w.srv.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", path, resp.StatusCode)
				}
			}
		})
	}
}
