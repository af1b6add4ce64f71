package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/wxads/wxads"
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
		switch {
		case e.Type == "":
			return wxads.Errorf(wxads.CodeRequired, path("type"))
		case e.Type != wxads.EventClick && e.Type != wxads.EventFollow:
			return wxads.Errorf(wxads.CodeNotInEnum, path("type"), "CLICK, FOLLOW")
		case e.AppID == "":
			return wxads.Errorf(wxads.CodeRequired, path("appid"))
		case e.OpenID == "":
			return wxads.Errorf(wxads.CodeRequired, path("openid"))
		case !wxads.ValidOpenID(e.OpenID):
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
			CampaignID: campaign, ClickID: e.ClickID, Time: *e.Time}
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
