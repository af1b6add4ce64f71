package server

import (
	"crypto/rand"
	"fmt"
	"net/http"

	"github.com/wxads/wxads"
)

// MaxFollowersPerCall bounds one followers request.
const MaxFollowersPerCall = 10000

// postFollowers is POST /admin/v1/apps/{appid}/followers: register given
// openids, or generate count new ones.
func (s *Server) postFollowers(w http.ResponseWriter, r *http.Request) error {
	app, err := s.adminApp(r)
	if err != nil {
		return err
	}
	var req struct {
		OpenIDs []string `json:"openids"`
		Count   int      `json:"count"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	switch {
	case req.OpenIDs != nil && req.Count != 0:
		return wxads.Errorf(wxads.CodeBadFormat, "count")
	case req.OpenIDs != nil:
		if len(req.OpenIDs) > MaxFollowersPerCall {
			return wxads.Errorf(wxads.CodeTooMany, "openids", fmt.Sprint(MaxFollowersPerCall))
		}
		for i, o := range req.OpenIDs {
			if !wxads.ValidOpenID(o) {
				return wxads.Errorf(wxads.CodeBadFormat, fmt.Sprintf("openids[%d]", i))
			}
		}
	case req.Count < 1:
		return wxads.Errorf(wxads.CodeRequired, "openids")
	case req.Count > MaxFollowersPerCall:
		return wxads.Errorf(wxads.CodeTooBig, "count", wxads.LessThan(MaxFollowersPerCall))
	default:
		req.OpenIDs = make([]string, req.Count)
		for i := range req.OpenIDs {
			req.OpenIDs[i] = NewOpenID()
		}
	}
	if len(req.OpenIDs) == 0 {
		return wxads.Errorf(wxads.CodeTooFew, "openids", "1")
	}
	if err := s.cfg.Stores.AddFollowers(r.Context(), app.AppID, req.OpenIDs, s.now()); err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"appid": app.AppID, "openids": req.OpenIDs})
}

const openIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// NewOpenID makes a random openid of the platform's shape.
func NewOpenID() string {
	b := make([]byte, 28)
	rand.Read(b)
	b[0] = 'o'
	for i := 1; i < len(b); i++ {
		b[i] = openIDAlphabet[int(b[i])%len(openIDAlphabet)]
	}
	return string(b)
}
