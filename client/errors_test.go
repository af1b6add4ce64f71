package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

func TestTypedErrors(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	c := srv.Client()

	_, err := c.ActionSets.Add(ctx, client.ActionSet{Type: "WECHAT", Name: "", WechatAppID: srv.AppID})
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if ae.Code != 31001 || ae.Param != "name" || ae.RequestID == "" || ae.HTTPStatus != 200 ||
		ae.Route != "/marketing/user_action_sets/add" || ae.MessageCN == "" || !strings.Contains(ae.Hint(), "empty") {
		t.Fatalf("APIError %+v hint %q", ae, ae.Hint())
	}

	_, err = c.ActionSets.Get(ctx, client.ActionSetFilter{ID: 987654})
	if !errors.Is(err, client.ErrNotAccessible) || errors.Is(err, client.ErrInvalidToken) {
		t.Fatalf("err = %v, want ErrNotAccessible only", err)
	}

	wrong, err := client.New(srv.AppID, strings.Repeat("a", 32), client.WithBaseURL(srv.URL))
	mustNoErr(t, err)
	_, err = wrong.Token(ctx)
	if !errors.Is(err, client.ErrInvalidCredential) || !errors.As(err, &ae) || ae.Hint() == "" {
		t.Fatalf("wrong secret: %v", err)
	}

	adm := srv.Admin()
	mustNoErr(t, adm.SetWhitelist(ctx, srv.AppID, []string{"203.0.113.0/24"}))
	_, err = srv.Client().Token(ctx)
	if !errors.Is(err, client.ErrIPNotWhitelisted) || !errors.As(err, &ae) || !strings.Contains(ae.Hint(), "whitelist") ||
		(strings.HasPrefix(ae.Message, "invalid ip") && !strings.Contains(ae.Message, "127.0.0.1")) {
		t.Fatalf("whitelist: %v", err)
	}
	mustNoErr(t, adm.SetWhitelist(ctx, srv.AppID, []string{"127.0.0.0/8"}))

	mustNoErr(t, adm.SetAdvertiserStatus(ctx, srv.AccountID, "PENDING"))
	_, err = c.ActionSets.Get(ctx, client.ActionSetFilter{})
	if !errors.Is(err, client.ErrUnauthorized) || client.Retryable(err) {
		t.Fatalf("pending: %v", err)
	}

	// The Tencent envelope decodes the same way.
	mustNoErr(t, adm.SetAdvertiserStatus(ctx, srv.AccountID, "APPROVED"))
	_, err = c.Templates.Get(ctx, client.TemplateQuery{PageSize: 1000})
	if !errors.As(err, &ae) || ae.Code != 18003 || ae.Param != "page_size" || ae.MessageCN == "" {
		t.Fatalf("v1.1: %v (%+v)", err, ae)
	}
}

// Admin errors: a wrong admin token is HTTP 401.
func TestAdminUnauthorized(t *testing.T) {
	srv := wxadstest.NewServer(t)
	_, err := client.NewAdmin(srv.URL, "wrong").CreateAdvertiser(context.Background(), "x", "APPROVED")
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 401 {
		t.Fatalf("err = %v", err)
	}
}
