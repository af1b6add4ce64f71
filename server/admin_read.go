package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/wxads/wxads"
)

// Admin reads for tooling (SPEC §5). They answer what is stored, never a
// secret, its hash or a token: every reply is built from the structs below.

// Paging of the admin lists, as the ext routes page: page 1–99999 (default
// 1), page_size 1–100 (default 10); out of range is 18003/18004.
const (
	adminMaxPage     = 99999
	adminMaxPageSize = 100
	adminPageSize    = 10
)

func pageParams(r *http.Request) (page, size int, err error) {
	if page, err = intParam(r, "page", 1, 1, adminMaxPage); err != nil {
		return 0, 0, err
	}
	if size, err = intParam(r, "page_size", adminPageSize, 1, adminMaxPageSize); err != nil {
		return 0, 0, err
	}
	return page, size, nil
}

// routeAlso registers h for method on a pattern whose other methods an
// earlier route holds: the mux prefers the method-qualified pattern, and
// the earlier route still answers every other method (43001/43002).
func (s *Server) routeAlso(mux *http.ServeMux, method, pattern string, a api, h handler) {
	mux.HandleFunc(method+" "+pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, a, err)
		}
	})
}

type advertiserJSON struct {
	AccountID   int64  `json:"account_id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	CreatedTime string `json:"created_time"`
}

func newAdvertiserJSON(a *wxads.Advertiser) advertiserJSON {
	return advertiserJSON{AccountID: a.ID, Name: a.Name, Status: a.Status, CreatedTime: formatTime(a.CreatedTime)}
}

type appJSON struct {
	AppID         string   `json:"appid"`
	AccountID     int64    `json:"account_id"`
	Name          string   `json:"name"`
	IPWhitelist   []string `json:"ip_whitelist"`
	CreatedTime   string   `json:"created_time"`
	FollowerCount *int     `json:"follower_count,omitempty"` // GET /admin/v1/apps/{appid} only
}

func newAppJSON(app *wxads.App) appJSON {
	list := make([]string, len(app.IPWhitelist))
	for i, p := range app.IPWhitelist {
		list[i] = p.String()
	}
	return appJSON{AppID: app.AppID, AccountID: app.AccountID, Name: app.Name, IPWhitelist: list,
		CreatedTime: formatTime(app.CreatedTime)}
}

// getAdvertisers is GET /admin/v1/advertisers: every advertiser, by account_id.
func (s *Server) getAdvertisers(w http.ResponseWriter, r *http.Request) error {
	page, size, err := pageParams(r)
	if err != nil {
		return err
	}
	advs, total, err := s.cfg.Stores.ListAdvertisers(r.Context(), (page-1)*size, size)
	if err != nil {
		return err
	}
	list := make([]advertiserJSON, len(advs))
	for i := range advs {
		list[i] = newAdvertiserJSON(&advs[i])
	}
	return writeData(w, apiWeChat, map[string]any{"list": list, "page_info": wxads.NewPageInfo(page, size, total)})
}

// getAdvertiser is GET /admin/v1/advertisers/{account_id}, with its number of apps.
func (s *Server) getAdvertiser(w http.ResponseWriter, r *http.Request) error {
	adv, err := s.adminAdvertiser(r.Context(), r.PathValue("account_id"), true)
	if err != nil {
		return err
	}
	_, apps, err := s.cfg.Stores.ListApps(r.Context(), adv.ID, 0, 0)
	if err != nil {
		return err
	}
	return writeData(w, apiWeChat, struct {
		advertiserJSON
		AppCount int `json:"app_count"`
	}{newAdvertiserJSON(adv), apps})
}

// adminAdvertiser resolves an account_id: unknown is 31011, and so is a
// malformed path value (as PATCH answers); a malformed query value is 18005.
func (s *Server) adminAdvertiser(ctx context.Context, v string, inPath bool) (*wxads.Advertiser, error) {
	id, err := parseID(v)
	if err != nil && !inPath {
		return nil, wxads.Errorf(wxads.CodeBadFormat, "account_id")
	}
	if err == nil {
		adv, err := s.cfg.Stores.Advertiser(ctx, id)
		if !errors.Is(err, wxads.ErrNotFound) {
			return adv, err
		}
	}
	return nil, wxads.Errorf(wxads.CodeNotAccessible, "account_id")
}

// readApp resolves an appid for the reads: unknown is 31011 naming param.
func (s *Server) readApp(ctx context.Context, appid, param string) (*wxads.App, error) {
	app, err := s.cfg.Stores.App(ctx, appid)
	if errors.Is(err, wxads.ErrNotFound) {
		return nil, wxads.Errorf(wxads.CodeNotAccessible, param)
	}
	return app, err
}

// getApps is GET /admin/v1/apps[?account_id=…]: one advertiser's apps, or
// everyone's, by created time.
func (s *Server) getApps(w http.ResponseWriter, r *http.Request) error {
	var account int64
	if v := r.URL.Query().Get("account_id"); v != "" {
		adv, err := s.adminAdvertiser(r.Context(), v, false)
		if err != nil {
			return err
		}
		account = adv.ID
	}
	page, size, err := pageParams(r)
	if err != nil {
		return err
	}
	apps, total, err := s.cfg.Stores.ListApps(r.Context(), account, (page-1)*size, size)
	if err != nil {
		return err
	}
	list := make([]appJSON, len(apps))
	for i := range apps {
		list[i] = newAppJSON(&apps[i])
	}
	return writeData(w, apiWeChat, map[string]any{"list": list, "page_info": wxads.NewPageInfo(page, size, total)})
}

// getApp is GET /admin/v1/apps/{appid}: the app and its number of followers.
func (s *Server) getApp(w http.ResponseWriter, r *http.Request) error {
	app, err := s.readApp(r.Context(), r.PathValue("appid"), "appid")
	if err != nil {
		return err
	}
	_, followers, err := s.cfg.Stores.ListFollowers(r.Context(), app.AppID, 0, 0)
	if err != nil {
		return err
	}
	out := newAppJSON(app)
	out.FollowerCount = &followers
	return writeData(w, apiWeChat, out)
}

type followerJSON struct {
	OpenID      string `json:"openid"`
	UnionID     string `json:"unionid,omitempty"` // absent when the platform knows none
	CreatedTime string `json:"created_time"`
}

// getFollowers is GET /admin/v1/apps/{appid}/followers: by openid.
func (s *Server) getFollowers(w http.ResponseWriter, r *http.Request) error {
	app, err := s.readApp(r.Context(), r.PathValue("appid"), "appid")
	if err != nil {
		return err
	}
	page, size, err := pageParams(r)
	if err != nil {
		return err
	}
	followers, total, err := s.cfg.Stores.ListFollowers(r.Context(), app.AppID, (page-1)*size, size)
	if err != nil {
		return err
	}
	list := make([]followerJSON, len(followers))
	for i, f := range followers {
		list[i] = followerJSON{OpenID: f.OpenID, UnionID: f.UnionID, CreatedTime: formatTime(f.CreatedTime)}
	}
	return writeData(w, apiWeChat, map[string]any{"appid": app.AppID, "list": list,
		"page_info": wxads.NewPageInfo(page, size, total)})
}

// storedAdEventJSON is an ad event as POST /admin/v1/ad_events took it.
type storedAdEventJSON struct {
	Type       string `json:"type"`
	AppID      string `json:"appid"`
	OpenID     string `json:"openid"`
	AdID       int64  `json:"ad_id"`
	CampaignID int64  `json:"campaign_id"`
	ClickID    string `json:"click_id"`
	Time       int64  `json:"time"`
	// UserID is the device ids the event carried, as sent (absent if none).
	UserID json.RawMessage `json:"user_id,omitempty"`
}

// getAdEvents is GET /admin/v1/ad_events?appid=…: one app's events in the
// order they were stored.
func (s *Server) getAdEvents(w http.ResponseWriter, r *http.Request) error {
	appid := r.URL.Query().Get("appid")
	if appid == "" {
		return wxads.Errorf(wxads.CodeRequired, "appid")
	}
	app, err := s.readApp(r.Context(), appid, "appid")
	if err != nil {
		return err
	}
	page, size, err := pageParams(r)
	if err != nil {
		return err
	}
	events, total, err := s.cfg.Stores.ListAdEvents(r.Context(), app.AppID, (page-1)*size, size)
	if err != nil {
		return err
	}
	list := make([]storedAdEventJSON, len(events))
	for i, e := range events {
		list[i] = storedAdEventJSON{Type: e.Type, AppID: e.AppID, OpenID: e.OpenID, AdID: e.AdID,
			CampaignID: e.CampaignID, ClickID: e.ClickID, Time: e.Time, UserID: json.RawMessage(wxads.EncodeUserIDs(e.UserIDs))}
	}
	return writeData(w, apiWeChat, map[string]any{"list": list, "page_info": wxads.NewPageInfo(page, size, total)})
}
