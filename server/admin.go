package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"time"

	"github.com/wxads/wxads"
)

type advertiserRequest struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// postAdvertiser is POST /admin/v1/advertisers.
func (s *Server) postAdvertiser(w http.ResponseWriter, r *http.Request) error {
	var req advertiserRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.Name == "" {
		return wxads.Errorf(wxads.CodeRequired, "name")
	}
	if req.Status == "" {
		req.Status = wxads.StatusApproved
	}
	if err := checkStatus(req.Status); err != nil {
		return err
	}
	a := &wxads.Advertiser{Name: req.Name, Status: req.Status, CreatedTime: s.now()}
	if err := s.cfg.Stores.CreateAdvertiser(r.Context(), a); err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"account_id": a.ID})
}

func checkStatus(status string) error {
	if status != wxads.StatusApproved && status != wxads.StatusPending {
		return wxads.Errorf(wxads.CodeNotInEnum, "status", "APPROVED, PENDING")
	}
	return nil
}

// patchAdvertiser is PATCH /admin/v1/advertisers/{account_id}.
func (s *Server) patchAdvertiser(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r.PathValue("account_id"))
	if err != nil {
		return wxads.Errorf(wxads.CodeNotAccessible, "account_id")
	}
	var req advertiserRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.Status == "" {
		return wxads.Errorf(wxads.CodeRequired, "status")
	}
	if err := checkStatus(req.Status); err != nil {
		return err
	}
	err = s.cfg.Stores.SetAdvertiserStatus(r.Context(), id, req.Status)
	if e := s.authChangedAccount(r.Context(), id); err == nil {
		err = e // a suspended advertiser is refused on every node before this answers
	}
	if errors.Is(err, wxads.ErrNotFound) {
		return wxads.Errorf(wxads.CodeNotAccessible, "account_id")
	} else if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"account_id": id, "status": req.Status})
}

type appRequest struct {
	AccountID   *flexID   `json:"account_id"`
	Name        string    `json:"name"`
	IPWhitelist *[]string `json:"ip_whitelist"`
	AppID       string    `json:"appid"`  // fixed by a test fixture; else generated
	Secret      string    `json:"secret"` // likewise
}

var (
	appIDFormat  = regexp.MustCompile(`^wx[0-9a-f]{16}$`)
	secretFormat = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// postApp is POST /admin/v1/apps: appid "wx"+16 hex, secret 32 hex, shown
// once; generated unless given (test fixtures fix their credentials).
func (s *Server) postApp(w http.ResponseWriter, r *http.Request) error {
	var req appRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.AccountID == nil {
		return wxads.Errorf(wxads.CodeRequired, "account_id")
	}
	if req.AppID == "" {
		req.AppID = NewAppID()
	} else if !appIDFormat.MatchString(req.AppID) {
		return wxads.Errorf(wxads.CodeBadFormat, "appid")
	}
	if req.Secret == "" {
		req.Secret = NewSecret()
	} else if !secretFormat.MatchString(req.Secret) {
		return wxads.Errorf(wxads.CodeBadFormat, "secret")
	}
	account := int64(*req.AccountID)
	if _, err := s.cfg.Stores.Advertiser(r.Context(), account); errors.Is(err, wxads.ErrNotFound) {
		return wxads.Errorf(wxads.CodeNotAccessible, "account_id")
	} else if err != nil {
		return err
	}
	list := wxads.DefaultWhitelist()
	if req.IPWhitelist != nil {
		var err error
		if list, err = parseWhitelist(*req.IPWhitelist); err != nil {
			return err
		}
	}
	app := &wxads.App{AppID: req.AppID, AccountID: account, Name: req.Name,
		SecretHash: HashSecret(req.Secret), IPWhitelist: list, CreatedTime: s.now()}
	if err := s.cfg.Stores.CreateApp(r.Context(), app); errors.Is(err, wxads.ErrConflict) {
		return wxads.Errorf(wxads.CodeDuplicateName, "appid")
	} else if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"appid": app.AppID, "secret": req.Secret, "account_id": app.AccountID})
}

// parseWhitelist accepts CIDRs and bare addresses (a single host). Clients
// are compared unmapped, so an IPv4-mapped entry becomes its IPv4 form; a
// zone ("fe80::1%eth0") never matches a client and is refused.
func parseWhitelist(entries []string) ([]wxads.Prefix, error) {
	list := make([]wxads.Prefix, 0, len(entries))
	for i, e := range entries {
		p, err := wxads.ParsePrefix(e)
		if err != nil {
			return nil, wxads.Errorf(wxads.CodeBadFormat, fmt.Sprintf("ip_whitelist[%d]", i))
		}
		list = append(list, p)
	}
	return list, nil
}

// NewAppID makes an appid: "wx" and 16 lowercase hex digits.
func NewAppID() string { return "wx" + randomHex(8) }

// NewSecret makes an app secret: 32 lowercase hex digits.
func NewSecret() string { return randomHex(16) }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// adminApp resolves the {appid} path value; unknown is 40013.
func (s *Server) adminApp(r *http.Request) (*wxads.App, error) {
	return s.appByID(r.Context(), r.PathValue("appid"))
}

// postResetSecret is POST /admin/v1/apps/{appid}/reset_secret: a new
// secret, and every token of the app ends at once with the old one.
func (s *Server) postResetSecret(w http.ResponseWriter, r *http.Request) error {
	app, err := s.adminApp(r)
	if err != nil {
		return err
	}
	secret := NewSecret()
	err = s.cfg.Stores.ResetSecret(r.Context(), app.AppID, HashSecret(secret), s.now())
	if e := s.authChangedApp(r.Context(), app.AppID); err == nil {
		err = e // the old tokens are refused on every node before this answers
	}
	if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"appid": app.AppID, "secret": secret})
}

// postRevokeTokens is POST /admin/v1/apps/{appid}/revoke_tokens: every token
// of the app, both kinds, is refused from now on; the secret still works.
func (s *Server) postRevokeTokens(w http.ResponseWriter, r *http.Request) error {
	app, err := s.adminApp(r)
	if err != nil {
		return err
	}
	err = s.cfg.Stores.RevokeTokens(r.Context(), app.AppID, s.now())
	if e := s.authChangedApp(r.Context(), app.AppID); err == nil {
		err = e // refused on every node before this answers
	}
	if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"appid": app.AppID})
}

// putWhitelist is PUT /admin/v1/apps/{appid}/ip_whitelist.
func (s *Server) putWhitelist(w http.ResponseWriter, r *http.Request) error {
	app, err := s.adminApp(r)
	if err != nil {
		return err
	}
	var req struct {
		IPWhitelist *[]string `json:"ip_whitelist"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.IPWhitelist == nil {
		return wxads.Errorf(wxads.CodeRequired, "ip_whitelist")
	}
	list, err := parseWhitelist(*req.IPWhitelist)
	if err != nil {
		return err
	}
	err = s.cfg.Stores.SetAppWhitelist(r.Context(), app.AppID, list)
	if e := s.authChangedApp(r.Context(), app.AppID); err == nil {
		err = e // callers carry the app row (auth cache)
	}
	if err != nil {
		return err
	}
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.String()
	}
	return writeData(w, apiWeChat, map[string]any{"appid": app.AppID, "ip_whitelist": out})
}

// postClock is POST /admin/v1/clock, registered only with --fake-clock.
func (s *Server) postClock(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Now            *int64 `json:"now"`
		AdvanceSeconds *int64 `json:"advance_seconds"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	switch {
	case req.Now != nil:
		s.cfg.FakeClock.Set(time.Unix(*req.Now, 0))
	case req.AdvanceSeconds != nil:
		// A time.Duration holds ±292 years; beyond that the product wraps.
		const limit = math.MaxInt64 / int64(time.Second)
		switch d := *req.AdvanceSeconds; {
		case d > limit:
			return wxads.Errorf(wxads.CodeTooBig, "advance_seconds", wxads.LessThan(limit))
		case d < -limit:
			return wxads.Errorf(wxads.CodeTooSmall, "advance_seconds", wxads.GreaterThan(-limit))
		}
		s.cfg.FakeClock.Advance(time.Duration(*req.AdvanceSeconds) * time.Second)
	default:
		return wxads.Errorf(wxads.CodeRequired, "now")
	}
	now := s.cfg.Clock.Now()
	return writeData(w, apiWeChat, map[string]any{"now": now.Unix(), "time": now.In(wxads.CST).Format(wxads.TimeLayout)})
}
