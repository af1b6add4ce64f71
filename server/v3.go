package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
)

// v3SetTypes are the data-source types of the v3.0 model (SPEC §11).
var v3SetTypes = []string{"WEB", "ANDROID", "IOS", "OFFLINE", "WECHAT", "WECHAT_MINI_PROGRAM", "WECHAT_MINI_GAME", "HARMONY"}

// captured is a ResponseWriter that keeps what a WeChat-side handler writes.
type captured struct {
	header http.Header
	body   bytes.Buffer
}

func (c *captured) Header() http.Header         { return c.header }
func (c *captured) WriteHeader(int)             {}
func (c *captured) Write(p []byte) (int, error) { return c.body.Write(p) }

// tencentFront runs a WeChat-side handler as a /v3.0 route: the same
// parsing, checks and store reads, one implementation; only the success
// envelope is re-wrapped ({"errcode","errmsg","data"} → {"code","message",
// "message_cn","data"}). Errors come back to route, which writes them in
// the Tencent envelope. So a v3.0 answer is the v1.0 answer by construction.
func tencentFront(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c := &captured{header: http.Header{}}
		if err := h(c, r); err != nil {
			return err
		}
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(c.body.Bytes(), &env); err != nil {
			return err // a handler wrote something that is not its envelope: a bug
		}
		if len(env.Data) == 0 {
			return writeData(w, apiTencent, nil)
		}
		return writeData(w, apiTencent, env.Data)
	}
}

type v3SetPermission struct {
	CanCreateAudience       bool `json:"can_create_audience"`
	CanExactConversionClaim bool `json:"can_exact_conversion_claim"`
	CanAsServing            bool `json:"can_as_serving"`
}

type v3ActionSetJSON struct {
	ID                    int64            `json:"user_action_set_id"`
	Type                  string           `json:"type"`
	MobileAppID           int64            `json:"mobile_app_id"`
	WechatAppID           string           `json:"wechat_app_id"`
	Name                  string           `json:"name"`
	Description           string           `json:"description"`
	ActivateStatus        bool             `json:"activate_status"`
	CreatedTime           string           `json:"created_time"`
	AppIDStr              string           `json:"app_id_str"`
	Usages                []string         `json:"usages"`
	EnableConversionClaim bool             `json:"enable_conversion_claim"`
	Permission            *v3SetPermission `json:"permission,omitempty"`
}

// getV3ActionSets is GET /v3.0/user_action_sets/get: the sets of §6.2 (made
// on either side) in the v3.0 model's shape, filtered by type (a JSON array).
func (s *Server) getV3ActionSets(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	q := r.URL.Query()
	id, err := queryID(r, "user_action_set_id")
	if err != nil {
		return err
	}
	if id != 0 {
		if err := s.ownSet(r, c, id); err != nil {
			return err
		}
	}
	appid := q.Get("wechat_app_id")
	if appid != "" {
		if err := s.ownApp(r, c, appid, "wechat_app_id"); err != nil {
			return err
		}
	}
	var types []string
	if v := q.Get("type"); v != "" {
		if json.Unmarshal([]byte(v), &types) != nil || len(types) == 0 {
			return wxads.Errorf(wxads.CodeWrongType, "type")
		}
		for i, t := range types {
			if !slices.Contains(v3SetTypes, t) {
				return wxads.Errorf(wxads.CodeNotInEnum, "type["+strconv.Itoa(i)+"]", strings.Join(v3SetTypes, ", "))
			}
		}
	}
	perm, err := boolFlag(r, "include_permission")
	if err != nil {
		return err
	}
	sets, err := s.cfg.Stores.ActionSets(r.Context(), c.adv.ID, wxads.ActionSetFilter{ID: id, WechatAppID: appid})
	if err != nil {
		return err
	}
	list := []v3ActionSetJSON{}
	for _, st := range sets {
		if types != nil && !slices.Contains(types, st.Type) {
			continue
		}
		item := v3ActionSetJSON{ID: st.ID, Type: st.Type, WechatAppID: st.WechatAppID, Name: st.Name,
			Description: st.Description, ActivateStatus: st.ActivateStatus, CreatedTime: formatTime(st.CreatedTime),
			AppIDStr: st.WechatAppID, Usages: []string{}, MobileAppID: st.MobileAppID,
			EnableConversionClaim: st.EnableConversionClaim}
		if perm {
			item.Permission = &v3SetPermission{CanCreateAudience: true, CanExactConversionClaim: true, CanAsServing: true}
		}
		list = append(list, item)
	}
	return writeData(w, apiTencent, map[string]any{"list": list})
}
