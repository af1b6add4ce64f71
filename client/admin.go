package client

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
)

// Admin calls the admin API (SPEC §5) with the admin token. Writes are sent
// once on a network error (creating twice is not harmless); reads retry
// per the RetryPolicy. The Client options apply except the token ones.
type Admin struct {
	t *transport
}

// NewAdmin returns an admin client for the platform at baseURL.
func NewAdmin(baseURL, adminToken string, opts ...Option) *Admin {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if baseURL != "" {
		cfg.baseURL = baseURL
	}
	t := newTransport(cfg)
	t.header = map[string]string{"Authorization": "Bearer " + adminToken}
	return &Admin{t: t}
}

// Advertiser is an advertiser as the admin reads return it.
type Advertiser struct {
	AccountID   int64  `json:"account_id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	CreatedTime string `json:"created_time,omitempty"`
	AppCount    int    `json:"app_count,omitempty"` // Advertiser (one) only
}

// App is an app as the admin reads return it (never its secret).
type App struct {
	AppID         string   `json:"appid"`
	AccountID     int64    `json:"account_id"`
	Name          string   `json:"name"`
	IPWhitelist   []string `json:"ip_whitelist"`
	CreatedTime   string   `json:"created_time,omitempty"`
	FollowerCount int      `json:"follower_count,omitempty"` // App (one) only
}

// Follower is a follower of an app as Admin.Followers lists it, and as
// Admin.AddFollowersWithUnionIDs sends it (CreatedTime left empty).
type Follower struct {
	OpenID string `json:"openid"`
	// UnionID is the user's unionid, "" when the platform knows none; a
	// v3.0 action naming it with the app's wechat_app_id is this follower's.
	UnionID     string `json:"unionid,omitempty"`
	CreatedTime string `json:"created_time,omitempty"`
}

// FollowerList is a page of an app's followers.
type FollowerList struct {
	List     []Follower `json:"list"`
	PageInfo PageInfo   `json:"page_info"`
}

// AdEventList is a page of an app's ad events.
type AdEventList struct {
	List     []AdEvent `json:"list"`
	PageInfo PageInfo  `json:"page_info"`
}

func (a *Admin) write(ctx context.Context, method, path string, body any, out any) error {
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return err
		}
	}
	return a.t.do(ctx, &call{method: method, path: path, body: b, once: true}, out)
}

func (a *Admin) read(ctx context.Context, path string, q url.Values, out any) error {
	return a.t.do(ctx, &call{method: "GET", path: path, query: q}, out)
}

// CreateAdvertiser creates an advertiser (status APPROVED or PENDING).
func (a *Admin) CreateAdvertiser(ctx context.Context, name, status string) (int64, error) {
	var out struct {
		AccountID int64 `json:"account_id"`
	}
	err := a.write(ctx, "POST", "/admin/v1/advertisers", map[string]string{"name": name, "status": status}, &out)
	return out.AccountID, err
}

// SetAdvertiserStatus approves or suspends an advertiser.
func (a *Admin) SetAdvertiserStatus(ctx context.Context, accountID int64, status string) error {
	return a.write(ctx, "PATCH", "/admin/v1/advertisers/"+strconv.FormatInt(accountID, 10), map[string]string{"status": status}, nil)
}

// CreateApp creates an app; spec.AppID and spec.Secret fix its credentials.
func (a *Admin) CreateApp(ctx context.Context, spec AppSpec) (*AppCredentials, error) {
	body := map[string]any{"account_id": spec.AccountID, "name": spec.Name}
	if spec.IPWhitelist != nil {
		body["ip_whitelist"] = spec.IPWhitelist
	}
	if spec.AppID != "" {
		body["appid"] = spec.AppID
	}
	if spec.Secret != "" {
		body["secret"] = spec.Secret
	}
	out := new(AppCredentials)
	if err := a.write(ctx, "POST", "/admin/v1/apps", body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ResetSecret issues a new secret; the old one and every token stop working.
func (a *Admin) ResetSecret(ctx context.Context, appid string) (string, error) {
	var out struct {
		Secret string `json:"secret"`
	}
	err := a.write(ctx, "POST", "/admin/v1/apps/"+url.PathEscape(appid)+"/reset_secret", nil, &out)
	return out.Secret, err
}

// RevokeTokens ends every token of the app at once.
func (a *Admin) RevokeTokens(ctx context.Context, appid string) error {
	return a.write(ctx, "POST", "/admin/v1/apps/"+url.PathEscape(appid)+"/revoke_tokens", nil, nil)
}

// SetWhitelist replaces the app's IP whitelist (CIDRs; empty: no IP).
func (a *Admin) SetWhitelist(ctx context.Context, appid string, cidrs []string) error {
	if cidrs == nil {
		cidrs = []string{}
	}
	return a.write(ctx, "PUT", "/admin/v1/apps/"+url.PathEscape(appid)+"/ip_whitelist", map[string]any{"ip_whitelist": cidrs}, nil)
}

// AddFollowers registers openids as followers of the app, or, with openids
// empty, count generated ones; it returns the openids added.
func (a *Admin) AddFollowers(ctx context.Context, appid string, openids []string, count int) ([]string, error) {
	body := map[string]any{"openids": openids}
	if len(openids) == 0 {
		body = map[string]any{"count": count}
	}
	var out struct {
		OpenIDs []string `json:"openids"`
	}
	err := a.write(ctx, "POST", "/admin/v1/apps/"+url.PathEscape(appid)+"/followers", body, &out)
	return out.OpenIDs, err
}

// AddFollowersWithUnionIDs registers followers of the app with their
// unionids (UnionID "" adds the openid without one), all or nothing: a
// unionid held by another openid of the app, or an openid already holding
// another unionid, is an *APIError with code 31013 naming
// followers[i].unionid. It returns the openids added.
func (a *Admin) AddFollowersWithUnionIDs(ctx context.Context, appid string, followers []Follower) ([]string, error) {
	type in struct {
		OpenID  string `json:"openid"`
		UnionID string `json:"unionid,omitempty"`
	}
	list := make([]in, len(followers))
	for i, f := range followers {
		list[i] = in{f.OpenID, f.UnionID}
	}
	var out struct {
		OpenIDs []string `json:"openids"`
	}
	err := a.write(ctx, "POST", "/admin/v1/apps/"+url.PathEscape(appid)+"/followers", map[string]any{"followers": list}, &out)
	return out.OpenIDs, err
}

// AddAdEvents records what ad delivery saw (clicks and follows).
func (a *Admin) AddAdEvents(ctx context.Context, events []AdEvent) error {
	return a.write(ctx, "POST", "/admin/v1/ad_events", map[string]any{"events": events}, nil)
}

// Advertisers lists every advertiser, reading page after page.
func (a *Admin) Advertisers(ctx context.Context) ([]Advertiser, error) {
	return readAll[Advertiser](ctx, a, "/admin/v1/advertisers", url.Values{})
}

// readAll reads every page of an admin list.
func readAll[T any](ctx context.Context, a *Admin, path string, q url.Values) ([]T, error) {
	var all []T
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		q.Set("page_size", "100")
		var out struct {
			List     []T      `json:"list"`
			PageInfo PageInfo `json:"page_info"`
		}
		if err := a.read(ctx, path, q, &out); err != nil {
			return all, err
		}
		all = append(all, out.List...)
		if page >= out.PageInfo.TotalPage || len(out.List) == 0 {
			return all, nil
		}
	}
}

// Advertiser reads one advertiser.
func (a *Admin) Advertiser(ctx context.Context, accountID int64) (*Advertiser, error) {
	out := new(Advertiser)
	if err := a.read(ctx, "/admin/v1/advertisers/"+strconv.FormatInt(accountID, 10), nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Apps lists the apps of an advertiser (0: every app).
func (a *Admin) Apps(ctx context.Context, accountID int64) ([]App, error) {
	q := url.Values{}
	if accountID != 0 {
		q.Set("account_id", strconv.FormatInt(accountID, 10))
	}
	return readAll[App](ctx, a, "/admin/v1/apps", q)
}

// App reads one app (without its secret).
func (a *Admin) App(ctx context.Context, appid string) (*App, error) {
	out := new(App)
	if err := a.read(ctx, "/admin/v1/apps/"+url.PathEscape(appid), nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Followers reads a page (from 1) of the app's followers.
func (a *Admin) Followers(ctx context.Context, appid string, page int) (*FollowerList, error) {
	out := new(FollowerList)
	q := url.Values{"page": {strconv.Itoa(max(page, 1))}}
	if err := a.read(ctx, "/admin/v1/apps/"+url.PathEscape(appid)+"/followers", q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// AdEvents reads a page (from 1) of the app's ad events.
func (a *Admin) AdEvents(ctx context.Context, appid string, page int) (*AdEventList, error) {
	out := new(AdEventList)
	q := url.Values{"appid": {appid}, "page": {strconv.Itoa(max(page, 1))}}
	if err := a.read(ctx, "/admin/v1/ad_events", q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// SetClock sets the platform clock (servers started with --fake-clock only).
func (a *Admin) SetClock(ctx context.Context, now int64) error {
	return a.write(ctx, "POST", "/admin/v1/clock", map[string]int64{"now": now}, nil)
}

// AdvanceClock moves the platform clock by seconds (--fake-clock only).
func (a *Admin) AdvanceClock(ctx context.Context, seconds int64) error {
	return a.write(ctx, "POST", "/admin/v1/clock", map[string]int64{"advance_seconds": seconds}, nil)
}
