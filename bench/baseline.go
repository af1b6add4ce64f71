package bench

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/ingest"
)

// BaselineHTTP starts the HTTP ceiling in this process: a server that
// decodes a user_actions/add body with the platform's own decoder
// (ingest.Decode) and answers errcode 0 without checking the token, owning
// the set or storing anything; every other path answers errcode 0 at once.
// The Target it returns drives it like a wxads server; stop it with the
// returned function.
func BaselineHTTP() (Target, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Target{}, nil, err
	}
	ok := []byte(`{"errcode":0,"errmsg":"ok"}`)
	mux := http.NewServeMux()
	mux.HandleFunc("/marketing/user_actions/add", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if _, err := ingest.Decode(body, time.Now().Unix()); err != nil {
			var e *wxads.Error
			if !errors.As(err, &e) {
				e = &wxads.Error{Code: -1}
			}
			fmt.Fprintf(w, `{"errcode":%d}`, e.Code)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(ok)
	})
	mux.HandleFunc("/v1.1/adcreative_templates/get", templatesCeiling())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write(ok) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t := Target{Base: "http://" + ln.Addr().String(), AppID: "wx0123456789abcdef", Secret: "x", Token: "x", Set: 1}
	return t, func() { srv.Close() }, nil
}
