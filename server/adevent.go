package server

import (
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
	AdID       flexID  `json:"ad_id"`
	CampaignID *flexID `json:"campaign_id"`
	ClickID    string  `json:"click_id"`
	Time       *int64  `json:"time"`
}

// postAdEvents is POST /admin/v1/ad_events: what ad delivery saw. The batch
// is validated whole and stored in one transaction.
func (s *Server) postAdEvents(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Events *[]adEventJSON `json:"events"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	switch {
	case req.Events == nil:
		return wxads.Errorf(wxads.CodeRequired, "events")
	case len(*req.Events) == 0:
		return wxads.Errorf(wxads.CodeTooFew, "events", "1")
	case len(*req.Events) > MaxAdEventsPerCall:
		return wxads.Errorf(wxads.CodeTooMany, "events", fmt.Sprint(MaxAdEventsPerCall))
	}
	now := s.now()
	events := make([]wxads.AdEvent, len(*req.Events))
	apps := map[string]bool{}
	for i, e := range *req.Events {
		path := func(field string) string { return fmt.Sprintf("events[%d].%s", i, field) }
		switch {
		case e.Type != wxads.EventClick && e.Type != wxads.EventFollow:
			return wxads.Errorf(wxads.CodeNotInEnum, path("type"), "CLICK, FOLLOW")
		case e.AppID == "":
			return wxads.Errorf(wxads.CodeRequired, path("appid"))
		case !wxads.ValidOpenID(e.OpenID):
			return wxads.Errorf(wxads.CodeBadFormat, path("openid"))
		case e.AdID == 0:
			return wxads.Errorf(wxads.CodeRequired, path("ad_id"))
		case len(e.ClickID) > 64:
			return wxads.Errorf(wxads.CodeTooLong, path("click_id"))
		case e.Time == nil:
			return wxads.Errorf(wxads.CodeRequired, path("time"))
		case *e.Time <= 0:
			return wxads.Errorf(wxads.CodeTooSmall, path("time"), "0")
		case *e.Time > now+10:
			return wxads.Errorf(wxads.CodeTooBig, path("time"), fmt.Sprint(now+10))
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
		events[i] = wxads.AdEvent{Type: e.Type, AppID: e.AppID, OpenID: e.OpenID, AdID: int64(e.AdID),
			CampaignID: campaign, ClickID: e.ClickID, Time: *e.Time}
	}
	if err := s.cfg.Stores.AddAdEvents(r.Context(), events, now); err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"accepted": len(events)})
}
