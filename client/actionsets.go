package client

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
)

// ActionSetsService handles data sources (SPEC §6.1, §6.2).
type ActionSetsService struct{ c *Client }

// Add creates a data source and returns its user_action_set_id. A network
// failure is not retried (the set may have been created; a retry would get
// 31013); platform refusals marked retryable are.
func (s *ActionSetsService) Add(ctx context.Context, set ActionSet) (int64, error) {
	body, err := json.Marshal(map[string]any{"type": set.Type, "name": set.Name,
		"description": set.Description, "wechat_app_id": set.WechatAppID})
	if err != nil {
		return 0, err
	}
	c := marketing("POST", "/marketing/user_action_sets/add", nil, body)
	c.once = true
	var out struct {
		ID int64 `json:"user_action_set_id"`
	}
	if err := s.c.t.do(ctx, c, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// Get lists the advertiser's data sources, narrowed by f.
func (s *ActionSetsService) Get(ctx context.Context, f ActionSetFilter) ([]ActionSet, error) {
	q := url.Values{}
	if f.ID != 0 {
		q.Set("user_action_set_id", strconv.FormatInt(f.ID, 10))
	}
	if f.WechatAppID != "" {
		q.Set("wechat_app_id", f.WechatAppID)
	}
	var out struct {
		List []ActionSet `json:"list"`
	}
	if err := s.c.t.do(ctx, marketing("GET", "/marketing/user_action_sets/get", q, nil), &out); err != nil {
		return nil, err
	}
	return out.List, nil
}
