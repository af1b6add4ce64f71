package server

import (
	"errors"
	"net/http"
	"slices"
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
	c := callerOf(r)
	switch {
	case req.Type == nil:
		return wxads.Errorf(wxads.CodeRequired, "type")
	case !slices.Contains(wxads.ActionSetTypes, *req.Type):
		return wxads.Errorf(wxads.CodeNotInEnum, "type", strings.Join(wxads.ActionSetTypes, ", "))
	case req.Name == nil:
		return wxads.Errorf(wxads.CodeRequired, "name")
	case *req.Name == "":
		return wxads.Errorf(wxads.CodeEmptyString, "name")
	case len(*req.Name) > 32:
		return wxads.Errorf(wxads.CodeTooLong, "name")
	case len(req.Description) > 128:
		return wxads.Errorf(wxads.CodeTooLong, "description")
	}
	if strings.HasPrefix(*req.Type, "WECHAT") || req.WechatAppID != "" {
		switch {
		case req.WechatAppID == "":
			return wxads.Errorf(wxads.CodeRequired, "wechat_app_id")
		case len(req.WechatAppID) < 2:
			return wxads.Errorf(wxads.CodeTooShort, "wechat_app_id")
		case len(req.WechatAppID) > 64:
			return wxads.Errorf(wxads.CodeTooLong, "wechat_app_id")
		}
		if err := s.ownApp(r, c, req.WechatAppID, "wechat_app_id"); err != nil {
			return err
		}
	}
	set := &wxads.ActionSet{AccountID: c.adv.ID, Type: *req.Type, Name: *req.Name, Description: req.Description,
		WechatAppID: req.WechatAppID, CreatorAppID: c.app.AppID, CreatedTime: s.now()}
	err := s.cfg.Stores.CreateActionSet(r.Context(), set, ActionSetsPerMinute)
	switch {
	case errors.Is(err, wxads.ErrConflict):
		return wxads.Errorf(wxads.CodeDuplicateName, "name")
	case errors.Is(err, wxads.ErrTooFrequent):
		return wxads.Literal(wxads.CodeActionSetRateLimit, "actionSet create request too frequently")
	case err != nil:
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"user_action_set_id": set.ID})
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
