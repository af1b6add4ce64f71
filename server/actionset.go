package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wxads/wxads"
)

// ActionSetsPerMinute bounds successful creations by one calling app.
const ActionSetsPerMinute = 10

type actionSetRequest struct {
	Type        *string `json:"type"`
	Name        *string `json:"name"`
	Description string  `json:"description"`
	WechatAppID string  `json:"wechat_app_id"`
}

// postActionSet is POST /marketing/user_action_sets/add (SPEC §6.1).
func (s *Server) postActionSet(w http.ResponseWriter, r *http.Request) error {
	var req actionSetRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	id, err := s.createActionSet(r, &req, wxads.ActionSetTypes, wxads.ActionSet{})
	if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"user_action_set_id": id})
}

// createActionSet validates req against the rules of §6.1, with types the
// API's list (the WeChat one, or v3.0's), and stores the set; base holds
// the fields only v3.0 sets (mobile_app_id, enable_conversion_claim).
func (s *Server) createActionSet(r *http.Request, req *actionSetRequest, types []string, base wxads.ActionSet) (int64, error) {
	c := callerOf(r)
	switch {
	case req.Type == nil:
		return 0, wxads.Errorf(wxads.CodeRequired, "type")
	case !slices.Contains(types, *req.Type):
		return 0, wxads.Errorf(wxads.CodeNotInEnum, "type", strings.Join(types, ", "))
	case req.Name == nil:
		return 0, wxads.Errorf(wxads.CodeRequired, "name")
	case *req.Name == "":
		return 0, wxads.Errorf(wxads.CodeEmptyString, "name")
	case len(*req.Name) > 32:
		return 0, wxads.Errorf(wxads.CodeTooLong, "name")
	case len(req.Description) > 128:
		return 0, wxads.Errorf(wxads.CodeTooLong, "description")
	}
	if strings.HasPrefix(*req.Type, "WECHAT") || req.WechatAppID != "" {
		switch {
		case req.WechatAppID == "":
			return 0, wxads.Errorf(wxads.CodeRequired, "wechat_app_id")
		case len(req.WechatAppID) < 2:
			return 0, wxads.Errorf(wxads.CodeTooShort, "wechat_app_id")
		case len(req.WechatAppID) > 64:
			return 0, wxads.Errorf(wxads.CodeTooLong, "wechat_app_id")
		}
		if err := s.ownApp(r, c, req.WechatAppID, "wechat_app_id"); err != nil {
			return 0, err
		}
	}
	creator := c.app.AppID
	if creator == "" { // an OAuth token has no app: its advertiser's creations share one budget
		creator = "oauth:" + strconv.FormatInt(c.adv.ID, 10)
	}
	set := &base
	set.AccountID, set.Type, set.Name, set.Description = c.adv.ID, *req.Type, *req.Name, req.Description
	set.WechatAppID, set.CreatorAppID, set.CreatedTime = req.WechatAppID, creator, s.now()
	err := s.cfg.Stores.CreateActionSet(r.Context(), set, ActionSetsPerMinute)
	switch {
	case errors.Is(err, wxads.ErrConflict):
		return 0, wxads.Errorf(wxads.CodeDuplicateName, "name")
	case errors.Is(err, wxads.ErrTooFrequent):
		return 0, wxads.Literal(wxads.CodeActionSetRateLimit, "actionSet create request too frequently")
	case err != nil:
		return 0, err
	}
	return set.ID, nil
}

// ownApp checks that appid is an app of the caller's advertiser; any other
// appid, existing or not, is 31011 naming param.
func (s *Server) ownApp(r *http.Request, c *caller, appid, param string) error {
	if appid == c.app.AppID {
		return nil
	}
	app, err := s.cfg.Stores.App(r.Context(), appid)
	if errors.Is(err, wxads.ErrNotFound) || err == nil && app.AccountID != c.adv.ID {
		return wxads.Errorf(wxads.CodeNotAccessible, param)
	}
	return err
}

type actionSetJSON struct {
	ID             int64  `json:"user_action_set_id"`
	Type           string `json:"type"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	WechatAppID    string `json:"wechat_app_id"`
	ActivateStatus bool   `json:"activate_status"`
	CreatedTime    string `json:"created_time"`
}

// getActionSets is GET /marketing/user_action_sets/get (SPEC §6.2).
func (s *Server) getActionSets(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	id, err := queryID(r, "user_action_set_id")
	if err != nil {
		return err
	}
	if id != 0 {
		if err := s.ownSet(r, c, id); err != nil {
			return err
		}
	}
	appid := r.URL.Query().Get("wechat_app_id")
	if appid != "" {
		if err := s.ownApp(r, c, appid, "wechat_app_id"); err != nil {
			return err
		}
	}
	sets, err := s.cfg.Stores.ActionSets(r.Context(), c.adv.ID, wxads.ActionSetFilter{ID: id, WechatAppID: appid})
	if err != nil {
		return err
	}
	list := make([]actionSetJSON, len(sets))
	for i, st := range sets {
		list[i] = actionSetJSON{st.ID, st.Type, st.Name, st.Description, st.WechatAppID, st.ActivateStatus,
			formatTime(st.CreatedTime)}
	}
	return writeData(w, apiWeChat, map[string]any{"list": list})
}

func formatTime(unix int64) string { return time.Unix(unix, 0).In(wxads.CST).Format(wxads.TimeLayout) }
