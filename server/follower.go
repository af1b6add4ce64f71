package server

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"

	"github.com/wxads/wxads"
)

// MaxFollowersPerCall bounds one followers request.
const MaxFollowersPerCall = 10000

// followerIn is one member of POST …/followers' "followers" list.
type followerIn struct {
	OpenID  string  `json:"openid"`
	UnionID *string `json:"unionid"` // absent: no unionid; "" is refused (31001)
}

// postFollowers is POST /admin/v1/apps/{appid}/followers: register given
// openids, or followers with their unionids, or generate count new ones.
func (s *Server) postFollowers(w http.ResponseWriter, r *http.Request) error {
	app, err := s.adminApp(r)
	if err != nil {
		return err
	}
	var req struct {
		OpenIDs   []string     `json:"openids"`
		Followers []followerIn `json:"followers"`
		Count     int          `json:"count"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.Followers != nil {
		if req.OpenIDs != nil || req.Count != 0 {
			return wxads.Errorf(wxads.CodeBadFormat, "followers") // one of the three forms only
		}
		return s.postFollowersWithUnionIDs(w, r, app.AppID, req.Followers)
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

// postFollowersWithUnionIDs is the {"followers":[{openid, unionid}]} form:
// all or nothing. A unionid is 1–64 bytes (SPEC §11's wechat_unionid),
// held by one openid per app, and an openid keeps one unionid: a conflict
// is 31013 naming followers[i].unionid.
func (s *Server) postFollowersWithUnionIDs(w http.ResponseWriter, r *http.Request, appid string, in []followerIn) error {
	switch {
	case len(in) == 0:
		return wxads.Errorf(wxads.CodeTooFew, "followers", "1")
	case len(in) > MaxFollowersPerCall:
		return wxads.Errorf(wxads.CodeTooMany, "followers", fmt.Sprint(MaxFollowersPerCall))
	}
	list := make([]wxads.Follower, len(in))
	openids := make([]string, len(in))
	for i, f := range in {
		path := fmt.Sprintf("followers[%d]", i)
		switch {
		case f.OpenID == "":
			return wxads.Errorf(wxads.CodeRequired, path+".openid")
		case !wxads.ValidOpenID(f.OpenID):
			return wxads.Errorf(wxads.CodeBadFormat, path+".openid")
		case f.UnionID == nil:
		case *f.UnionID == "":
			return wxads.Errorf(wxads.CodeEmptyString, path+".unionid")
		case len(*f.UnionID) > wxads.MaxUnionIDLen:
			return wxads.Errorf(wxads.CodeTooLong, path+".unionid")
		default:
			list[i].UnionID = *f.UnionID
		}
		list[i].OpenID, openids[i] = f.OpenID, f.OpenID
	}
	err := s.cfg.Stores.AddFollowersWithUnionIDs(r.Context(), appid, list, s.now())
	var fc *wxads.FollowerConflict
	switch {
	case errors.As(err, &fc):
		e := wxads.Errorf(wxads.CodeDuplicateName, fmt.Sprintf("followers[%d].unionid", fc.Index))
		if fc.HeldBy != "" {
			e.Message = fmt.Sprintf("followers[%d].unionid: unionid %q is already held by openid %s of this app (a unionid is one follower per app); nothing was added.", fc.Index, fc.UnionID, fc.HeldBy)
			e.MessageCN = fmt.Sprintf("followers[%d].unionid：unionid %q 已属于本公众号的 openid %s（一个 unionid 在一个公众号内只对应一个粉丝）；本次未添加任何粉丝。", fc.Index, fc.UnionID, fc.HeldBy)
		} else {
			e.Message = fmt.Sprintf("followers[%d].unionid: openid %s already holds unionid %q (an openid keeps one unionid); nothing was added.", fc.Index, fc.OpenID, fc.Kept)
			e.MessageCN = fmt.Sprintf("followers[%d].unionid：openid %s 已有 unionid %q（一个 openid 只有一个 unionid）；本次未添加任何粉丝。", fc.Index, fc.OpenID, fc.Kept)
		}
		return e
	case err != nil:
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"appid": appid, "openids": openids})
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
