package server_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

var updateV3Golden = flag.Bool("update-v3", false, "rewrite server/testdata/v3_user_actions_add_*.golden")

// The shapes below restate, field by field, the names and Go types the
// Tencent SDK's models declare for the answer of POST /v3.0/user_actions/add
// (pkg/model/v3 UserActionsAddResponse; pkg/model ApiErrorStruct and
// CommonParamExceptionSpec). That model has no data member: the answer the
// live platform gives is the envelope alone.
type sdkUserActionsAddResponse struct {
	Code      *int64               `json:"code,omitempty"`
	Message   *string              `json:"message,omitempty"`
	MessageCn *string              `json:"message_cn,omitempty"`
	Errors    *[]sdkAPIErrorStruct `json:"errors,omitempty"`
}

type sdkAPIErrorStruct struct {
	Type_                    string                      `json:"type,omitempty"`
	CommonParamExceptionSpec sdkCommonParamExceptionSpec `json:"common_param_exception_spec,omitempty"`
}

type sdkCommonParamExceptionSpec struct {
	ErrorFields  []string `json:"error_fields,omitempty"`
	ErrorUserMsg string   `json:"error_user_msg,omitempty"`
}

// v3AddAnswer is the SDK's model plus the one member wxads adds, and only
// when the caller asks for it with partial_failure or validate_only
// (SPEC §6.3 extension flags): data. The SDK's decoder (encoding/json,
// unknown members ignored) skips it; a strict decode of this type proves it
// is the only member the SDK does not know.
type v3AddAnswer struct {
	sdkUserActionsAddResponse
	Data *struct {
		Accepted   *int64 `json:"accepted,omitempty"`
		Duplicates *int64 `json:"duplicates,omitempty"`
		Valid      *int64 `json:"valid,omitempty"`
		Failed     *[]struct {
			Index   int64  `json:"index"`
			Errcode int64  `json:"errcode"`
			Errmsg  string `json:"errmsg"`
		} `json:"failed,omitempty"`
	} `json:"data,omitempty"`
}

func TestV3UserActionsAddGolden(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "shop")
	fs := h.followers(tn.AppID, 2)
	badOAID := func(a map[string]any) { a["user_id"].(map[string]any)["hash_oaid"] = "0123" }
	partial := url.Values{"partial_failure": {"true"}}
	cases := []struct {
		name      string
		q         url.Values
		actions   []map[string]any
		extension bool // the answer may carry data (partial_failure)
	}{
		{"success", nil, []map[string]any{h.v3Act(tn, fs[0], outer("g1"))}, false},
		{"partial_failure", partial, []map[string]any{h.v3Act(tn, fs[1], outer("g2")), h.v3Act(tn, fs[1], outer("g3"), badOAID)}, true},
		{"error", nil, []map[string]any{h.v3Act(tn, fs[0], outer("g4")), h.v3Act(tn, fs[1], outer("g5"), badOAID)}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := h.v3Upload(tn, set, c.q, c.actions...).Raw
			// As the Tencent SDK decodes it: unknown members ignored.
			var sdk sdkUserActionsAddResponse
			if err := json.Unmarshal(raw, &sdk); err != nil || sdk.Code == nil || sdk.Message == nil || sdk.MessageCn == nil {
				t.Fatalf("the Tencent SDK's model cannot decode %s: %v", raw, err)
			}
			var out any = &sdk
			var ext v3AddAnswer
			if c.extension {
				out = &ext
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(out); err != nil {
				t.Fatalf("%s: a member the SDK's model does not declare: %v", raw, err)
			}
			if c.extension && (ext.Data == nil || ext.Data.Accepted == nil || ext.Data.Failed == nil) {
				t.Fatalf("partial_failure without its data: %s", raw)
			}
			got, _ := json.MarshalIndent(out, "", "  ")
			got = append(got, '\n')
			path := filepath.Join("testdata", "v3_user_actions_add_"+c.name+".golden")
			if *updateV3Golden {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./server -run TestV3UserActionsAddGolden -update-v3 writes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("answer as the SDK decodes it:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
