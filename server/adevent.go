package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/ingest"
)

// MaxAdEventsPerCall bounds one ad_events request.
const MaxAdEventsPerCall = 1000

type adEventJSON struct {
	Type       string  `json:"type"`
	AppID      string  `json:"appid"`
	OpenID     string  `json:"openid"`
	AdID       *flexID `json:"ad_id"`
	CampaignID *flexID `json:"campaign_id"`
	ClickID    string  `json:"click_id"`
	Time       *int64  `json:"time"`
	// UserID holds the hashed device or phone ids delivery saw, members
	// as in a v3.0 action's user_id (SPEC §11).
	UserID json.RawMessage `json:"user_id"`
}

// postAdEvents is POST /admin/v1/ad_events: what ad delivery saw. The batch
// is validated whole and stored in one transaction.
func (s *Server) postAdEvents(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Events json.RawMessage `json:"events"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	list, err := eventList(req.Events)
	if err != nil {
		return err
	}
	now := s.now()
	events := make([]wxads.AdEvent, len(list))
	apps := map[string]bool{}
	for i, raw := range list {
		path := func(field string) string { return fmt.Sprintf("events[%d].%s", i, field) }
		var e adEventJSON
		if err := decodeEvent(raw, fmt.Sprintf("events[%d]", i), &e); err != nil {
			return err
		}
		ids, idErr := eventUserIDs(e.UserID, path("user_id"))
		switch {
		case e.Type == "":
			return wxads.Errorf(wxads.CodeRequired, path("type"))
		case e.Type != wxads.EventClick && e.Type != wxads.EventFollow:
			return wxads.Errorf(wxads.CodeNotInEnum, path("type"), "CLICK, FOLLOW")
		case e.AppID == "":
			return wxads.Errorf(wxads.CodeRequired, path("appid"))
		case idErr != nil:
			return idErr
		case e.OpenID == "" && (len(ids) == 0 || e.Type == wxads.EventFollow):
			// A follow is a WeChat follow: it names the follower.
			return wxads.Errorf(wxads.CodeRequired, path("openid"))
		case e.OpenID != "" && !wxads.ValidOpenID(e.OpenID):
			return wxads.Errorf(wxads.CodeBadFormat, path("openid"))
		case e.AdID == nil:
			return wxads.Errorf(wxads.CodeRequired, path("ad_id"))
		case *e.AdID <= 0:
			return wxads.Errorf(wxads.CodeTooSmall, path("ad_id"), "0")
		case e.CampaignID != nil && *e.CampaignID < 0:
			return wxads.Errorf(wxads.CodeTooSmall, path("campaign_id"), "-1")
		case len(e.ClickID) > 64:
			return wxads.Errorf(wxads.CodeTooLong, path("click_id"))
		case e.Time == nil:
			return wxads.Errorf(wxads.CodeRequired, path("time"))
		case *e.Time <= 0:
			return wxads.Errorf(wxads.CodeTooSmall, path("time"), "0")
		case *e.Time > now+10:
			return wxads.Errorf(wxads.CodeTooBig, path("time"), wxads.LessThan(now+10))
		}
		if !apps[e.AppID] {
			if _, err := s.appByID(r.Context(), e.AppID); err != nil {
				if wxads.ErrorCode(err) == wxads.CodeInvalidAppID {
					return wxads.Errorf(wxads.CodeNotAccessible, path("appid"))
				}
				return err
			}
			apps[e.AppID] = true
		}
		var campaign int64
		if e.CampaignID != nil {
			campaign = int64(*e.CampaignID)
		}
		events[i] = wxads.AdEvent{Type: e.Type, AppID: e.AppID, OpenID: e.OpenID, AdID: int64(*e.AdID),
			CampaignID: campaign, ClickID: e.ClickID, Time: *e.Time, UserIDs: ids}
	}
	if err := s.cfg.Stores.AddAdEvents(r.Context(), events, now); err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"accepted": len(events)})
}

// eventList splits the events array. Its elements are decoded one by one so
// that an error names the event's index (events[3].ad_id), not "events.ad_id".
func eventList(raw json.RawMessage) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, wxads.Errorf(wxads.CodeRequired, "events")
	}
	var list []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &list) != nil {
		return nil, wxads.Errorf(wxads.CodeWrongType, "events", "array")
	}
	switch {
	case len(list) == 0:
		return nil, wxads.Errorf(wxads.CodeTooFew, "events", "1")
	case len(list) > MaxAdEventsPerCall:
		return nil, wxads.Errorf(wxads.CodeTooMany, "events", fmt.Sprint(MaxAdEventsPerCall))
	}
	return list, nil
}

// decodeEvent decodes one element; not an object, or a field of the wrong
// type, is 18002 naming its path.
func decodeEvent(raw json.RawMessage, path string, e *adEventJSON) error {
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' {
		return wxads.Errorf(wxads.CodeWrongType, path, "object")
	}
	if err := decodeObject(raw, e); err != nil {
		var pe *wxads.Error
		if errors.As(err, &pe) && pe.Code == wxads.CodeWrongType && pe.Param != "" {
			pe.Param = path + "." + pe.Param
			return pe
		}
		return wxads.Errorf(wxads.CodeWrongType, path, "object")
	}
	return nil
}

// eventUserIDs reads an event's user_id: an object of the device kinds
// (wxads.DeviceIDKinds), each checked as in a v3.0 action (ingest.UserIDValue:
// 31001, 18005, 18007; not a string 18002), the first problem in kind order
// reported as path.kind. Other members are ignored, null means absent.
func eventUserIDs(raw json.RawMessage, path string) ([]wxads.UserID, error) {
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var members map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &members) != nil {
		return nil, wxads.Errorf(wxads.CodeWrongType, path, "object")
	}
	var ids []wxads.UserID
	for _, kind := range wxads.DeviceIDKinds {
		m := bytes.TrimSpace(members[kind])
		if len(m) == 0 || string(m) == "null" {
			continue
		}
		var v string
		if m[0] != '"' || json.Unmarshal(m, &v) != nil {
			return nil, wxads.Errorf(wxads.CodeWrongType, path+"."+kind, "string")
		}
		v, code, _ := ingest.UserIDValue(kind, v)
		if code != 0 {
			return nil, wxads.Errorf(code, path+"."+kind)
		}
		ids = append(ids, wxads.UserID{Kind: kind, Value: v})
	}
	return ids, nil
}
