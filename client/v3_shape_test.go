package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// The request of POST /v3.0/user_actions/add as the Tencent SDK's model
// declares it (pkg/model/v3 UserActionsAddRequest, UserAction, UserIdDn,
// Trace, ProductInform; enums are string types there), restated member by
// member. CaidVersion is left out: the model says integer, the platform
// checks a string (client.V3UserID.CAIDVersion), and the SDK follows the
// platform.
type tencentAddRequest struct {
	AccountId       *int64               `json:"account_id,omitempty"`
	UserActionSetId *int64               `json:"user_action_set_id,omitempty"`
	Actions         *[]tencentUserAction `json:"actions,omitempty"`
}

type tencentUserAction struct {
	ActionTime    *int64                 `json:"action_time,omitempty"`
	UserId        *tencentUserIdDn       `json:"user_id,omitempty"`
	ActionType    string                 `json:"action_type,omitempty"`
	OuterActionId *string                `json:"outer_action_id,omitempty"`
	ActionParam   map[string]interface{} `json:"action_param,omitempty"`
	CustomAction  *string                `json:"custom_action,omitempty"`
	Trace         *struct {
		ClickId *string `json:"click_id,omitempty"`
	} `json:"trace,omitempty"`
	Url           *string `json:"url,omitempty"`
	ProductInform *struct {
		ContentType      string    `json:"content_type,omitempty"`
		ProductCatalogId *string   `json:"product_catalog_id,omitempty"`
		ProductId        *[]string `json:"product_id,omitempty"`
		CategoryPath     *[]string `json:"category_path,omitempty"`
	} `json:"product_inform,omitempty"`
	Channel string `json:"channel,omitempty"`
}

type tencentUserIdDn struct {
	HashImei      *string `json:"hash_imei,omitempty"`
	Md5Sha256Imei *string `json:"md5_sha256_imei,omitempty"`
	HashIdfa      *string `json:"hash_idfa,omitempty"`
	Md5Sha256Idfa *string `json:"md5_sha256_idfa,omitempty"`
	HashPhone     *string `json:"hash_phone,omitempty"`
	Sha256Phone   *string `json:"sha256_phone,omitempty"`
	HashAndroidId *string `json:"hash_android_id,omitempty"`
	HashOaid      *string `json:"hash_oaid,omitempty"`
	Md5Sha256Oaid *string `json:"md5_sha256_oaid,omitempty"`
	WechatOpenid  *string `json:"wechat_openid,omitempty"`
	WechatUnionid *string `json:"wechat_unionid,omitempty"`
	WechatAppId   *string `json:"wechat_app_id,omitempty"`
	Caid          *string `json:"caid,omitempty"`
}

// The body the SDK sends decodes with the Tencent model, every member
// known, ids as numbers, and the platform stores it.
func TestV3RequestShape(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	rec, hc := newRecorder(t)
	c, _ := srv.OAuthClient("", client.WithHTTPClient(hc))
	v3 := c.V3()
	setID, err := v3.ActionSets.Add(ctx, client.V3ActionSet{Type: "IOS", Name: "ios"})
	mustNoErr(t, err)
	h32, h64 := strings.Repeat("0123456789abcdef", 2), strings.Repeat("0123456789abcdef", 4)
	a := client.V3UserAction{
		ActionTime: srv.Clock.Now().Unix(), ActionType: "CUSTOM", CustomAction: "level_10",
		UserID: client.V3UserID{HashIMEI: h32, HashIDFA: h32, HashAndroidID: h32, HashOAID: h32, HashPhone: h32,
			MD5SHA256IMEI: h64, MD5SHA256IDFA: h64, MD5SHA256OAID: h64, SHA256Phone: h64,
			WechatOpenID: "o1", WechatUnionID: "u1", WechatAppID: srv.AppID, CAID: "caid-1"},
		Trace:         &client.Trace{ClickID: "click-1"},
		ActionParam:   map[string]any{"value": 100, "level": "10"},
		URL:           "https://game.example.com/level/10",
		ProductInform: &client.ProductInform{ContentType: "EC", ProductCatalogID: "cat", ProductID: []string{"p1"}, CategoryPath: []string{"a", "b"}},
		Channel:       "CHANNEL_NATURAL",
	}
	sum, err := v3.UserActions.Add(ctx, setID, a)
	mustNoErr(t, err)
	if sum.Accepted != 1 {
		t.Fatalf("%+v", sum)
	}
	reqs := rec.requests("/v3.0/user_actions/add")
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	var got tencentAddRequest
	dec := json.NewDecoder(bytes.NewReader(reqs[0].body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("the Tencent model cannot decode %s: %v", reqs[0].body, err)
	}
	if got.AccountId == nil || *got.AccountId != srv.AccountID || got.UserActionSetId == nil || *got.UserActionSetId != setID ||
		got.Actions == nil || len(*got.Actions) != 1 {
		t.Fatalf("decoded %s", reqs[0].body)
	}
	ga := (*got.Actions)[0]
	if ga.UserId == nil || ga.UserId.Md5Sha256Oaid == nil || ga.Trace == nil || ga.ProductInform == nil ||
		ga.ProductInform.CategoryPath == nil || ga.Channel != "CHANNEL_NATURAL" || ga.OuterActionId == nil ||
		*ga.OuterActionId != client.V3OuterActionID(a) {
		t.Fatalf("decoded action %s", reqs[0].body)
	}
}
