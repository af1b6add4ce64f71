package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/ingest"
)

type v3BodyKey struct{}

// v3Post wraps a POST /v3.0 handler in the global parameters of §8 (s.v11).
// A v3.0 POST carries account_id in its JSON body, not in the query, so the
// body is read first (once: the handler gets it from v3Body) and its
// account_id is what v11 checks against the token's advertiser; one sent in
// the query is ignored. Missing global parameters are refused before the
// body is read.
func (s *Server) v3Post(h handler) handler {
	inner := s.v11(h)
	return func(w http.ResponseWriter, r *http.Request) error {
		for _, p := range []string{"access_token", "timestamp", "nonce"} {
			if r.URL.Query().Get(p) == "" {
				return wxads.Errorf(wxads.CodeV11TokenMissing, p)
			}
		}
		body, err := s.readBody(w, r)
		if err != nil {
			return err
		}
		noteBody(r, body)
		var top struct {
			AccountID json.RawMessage `json:"account_id"`
		}
		if err := decodeObject(body, &top); err != nil {
			return err
		}
		q := r.URL.Query()
		q.Del("account_id")
		if v := string(top.AccountID); v != "" && v != "null" {
			q.Set("account_id", strings.Trim(v, `"`))
		}
		r2 := r.WithContext(context.WithValue(r.Context(), v3BodyKey{}, body))
		u := *r.URL
		u.RawQuery = q.Encode()
		r2.URL = &u
		return inner(w, r2)
	}
}

// v3Body is the body v3Post read.
func v3Body(r *http.Request) []byte {
	b, _ := r.Context().Value(v3BodyKey{}).([]byte)
	return b
}

// v3SetRequest is the body of POST /v3.0/user_action_sets/add: the WeChat
// side's fields plus the v3.0 model's.
type v3SetRequest struct {
	Type                  *string `json:"type"`
	Name                  *string `json:"name"`
	Description           string  `json:"description"`
	WechatAppID           string  `json:"wechat_app_id"`
	MobileAppID           *flexID `json:"mobile_app_id"`
	EnableConversionClaim *bool   `json:"enable_conversion_claim"`
}

// postV3ActionSet is POST /v3.0/user_action_sets/add (SPEC §11): the WeChat
// side's creation with the v3.0 type list, into the same store.
func (s *Server) postV3ActionSet(w http.ResponseWriter, r *http.Request) error {
	var req v3SetRequest
	if err := decodeObject(v3Body(r), &req); err != nil {
		return err
	}
	if req.MobileAppID != nil && *req.MobileAppID <= 0 {
		return wxads.Errorf(wxads.CodeBadFormat, "mobile_app_id")
	}
	set := actionSetRequest{Type: req.Type, Name: req.Name, Description: req.Description, WechatAppID: req.WechatAppID}
	var base wxads.ActionSet
	if req.MobileAppID != nil {
		base.MobileAppID = int64(*req.MobileAppID)
	}
	if req.EnableConversionClaim != nil {
		base.EnableConversionClaim = *req.EnableConversionClaim
	}
	id, err := s.createActionSet(r, &set, v3SetTypes, base)
	if err != nil {
		return err
	}
	return writeData(w, apiTencent, map[string]any{"user_action_set_id": id})
}

// postV3Actions is POST /v3.0/user_actions/add (SPEC §11): the v3.0 shape
// of the ingest decoder, then the WeChat side's core (ingestBatch): same
// validation rules, store Ingest, dedup key, flags and relay.
func (s *Server) postV3Actions(w http.ResponseWriter, r *http.Request) error {
	validateOnly, err := boolFlag(r, "validate_only")
	if err != nil {
		return err
	}
	partial, err := boolFlag(r, "partial_failure")
	if err != nil {
		return err
	}
	body := v3Body(r)
	var top struct {
		SetID *flexID `json:"user_action_set_id"`
	}
	if err := decodeObject(body, &top); err != nil {
		return err
	}
	switch {
	case top.SetID == nil:
		return wxads.Errorf(wxads.CodeRequired, "user_action_set_id")
	case *top.SetID <= 0:
		return wxads.Errorf(wxads.CodeBadFormat, "user_action_set_id")
	}
	setID := int64(*top.SetID)
	c := callerOf(r)
	if err := s.ownSet(r, c, setID); err != nil {
		return err
	}
	sets, err := s.cfg.Stores.ActionSets(r.Context(), c.adv.ID, wxads.ActionSetFilter{ID: setID})
	if err != nil {
		return err
	}
	wechat := len(sets) == 1 && strings.HasPrefix(sets[0].Type, "WECHAT")
	now := s.now()
	batch, err := ingest.DecodeShape(body, now, ingest.V3)
	if err != nil {
		return err
	}
	return s.ingestBatch(w, r, apiTencent, batch, now, validateOnly, partial, func(a *wxads.Action, k int) error {
		a.SetID = setID
		if !wechat {
			return nil
		}
		// A WeChat set identifies users by openid or unionid of its app.
		switch kinds := batch.Kinds[k]; {
		case kinds&ingest.KindWechatAppID == 0:
			return wxads.Errorf(wxads.CodeRequired, "user_id.wechat_app_id")
		case kinds&(ingest.KindOpenID|ingest.KindUnionID) == 0:
			return wxads.Errorf(wxads.CodeRequired, "user_id.wechat_openid")
		}
		return nil
	})
}
