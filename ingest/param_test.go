package ingest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// withParam is an action whose action_param holds source, claim_type and
// the members given as raw JSON ("key":value,...).
func withParam(extra string) []member {
	if extra != "" {
		extra = "," + extra
	}
	return []member{m("action_param", `{"source":"Biz","claim_type":0`+extra+`}`)}
}

func TestParamRules(t *testing.T) {
	const p = "action_param"
	runRules(t, []ruleCase{
		{"missing", []member{m(p, omit)}, wxads.CodeRequired, p},
		{"null", []member{m(p, `null`)}, wxads.CodeRequired, p},
		{"string", []member{m(p, `"{}"`)}, wxads.CodeWrongType, p},
		{"array", []member{m(p, `[]`)}, wxads.CodeWrongType, p},
		{"empty object", []member{m(p, `{}`)}, wxads.CodeRequired, p + ".source"},
		{"source missing", []member{m(p, `{"claim_type":1}`)}, wxads.CodeRequired, p + ".source"},
		{"source Web", []member{m(p, `{"source":"Web","claim_type":1}`)}, 0, ""},
		{"source lower", []member{m(p, `{"source":"biz","claim_type":1}`)}, wxads.CodeNotInEnum, p + ".source"},
		{"source number", []member{m(p, `{"source":1,"claim_type":1}`)}, wxads.CodeNotInEnum, p + ".source"},
		{"source null", []member{m(p, `{"source":null,"claim_type":1}`)}, wxads.CodeWrongType, p + ".source"},
		{"claim missing", []member{m(p, `{"source":"Biz"}`)}, wxads.CodeRequired, p + ".claim_type"},
		{"claim string", []member{m(p, `{"source":"Biz","claim_type":"1"}`)}, 0, ""},
		{"claim 2", []member{m(p, `{"source":"Biz","claim_type":2}`)}, wxads.CodeNotInEnum, p + ".claim_type"},
		{"claim '2'", []member{m(p, `{"source":"Biz","claim_type":"2"}`)}, wxads.CodeNotInEnum, p + ".claim_type"},
		{"claim 1.0", []member{m(p, `{"source":"Biz","claim_type":1.0}`)}, wxads.CodeNotInEnum, p + ".claim_type"},
		{"claim bool", []member{m(p, `{"source":"Biz","claim_type":true}`)}, wxads.CodeNotInEnum, p + ".claim_type"},
		{"claim null", []member{m(p, `{"source":"Biz","claim_type":null}`)}, wxads.CodeWrongType, p + ".claim_type"},
		{"value 0", withParam(`"value":0`), 0, ""},
		{"value max", withParam(`"value":100000000000`), 0, ""},
		{"value negative", withParam(`"value":-1`), wxads.CodeTooSmall, p + ".value"},
		{"value above 1e11", withParam(`"value":100000000001`), wxads.CodeTooBig, p + ".value"},
		{"value int64 max", withParam(`"value":9223372036854775807`), wxads.CodeTooBig, p + ".value"},
		{"value beyond", withParam(`"value":9223372036854775808`), wxads.CodeTooBig, p + ".value"},
		{"value exponent", withParam(`"value":1e5`), wxads.CodeWrongType, p + ".value"},
		{"value fraction", withParam(`"value":1.5`), wxads.CodeWrongType, p + ".value"},
		{"value string", withParam(`"value":"100"`), wxads.CodeWrongType, p + ".value"},
		{"value null", withParam(`"value":null`), wxads.CodeWrongType, p + ".value"},
		{"key 64", withParam(`"` + strings.Repeat("k", 64) + `":1`), 0, ""},
		{"key 65", withParam(`"` + strings.Repeat("k", 65) + `":1`), wxads.CodeTooLong, p + "." + strings.Repeat("k", 64) + "…"},
		{"key empty", withParam(`"":1`), wxads.CodeTooShort, p + `.""`},
		{"duplicate", withParam(`"a":1,"a":2`), wxads.CodeBadFormat, p + ".a"},
		{"same length and last byte", withParam(`"ab":1,"cb":2`), 0, ""},
		{"duplicate escaped", withParam(`"a":1,"\u0061":2`), wxads.CodeBadFormat, p + ".a"},
		{"duplicate source", withParam(`"source":"Web"`), wxads.CodeBadFormat, p + ".source"},
		{"int max", withParam(`"n":9223372036854775807`), 0, ""},
		{"int min", withParam(`"n":-9223372036854775808`), 0, ""},
		{"int beyond max", withParam(`"n":9223372036854775808`), wxads.CodeTooBig, p + ".n"},
		{"int beyond min", withParam(`"n":-9223372036854775809`), wxads.CodeTooSmall, p + ".n"},
		{"double 1e11", withParam(`"d":1e11`), 0, ""},
		{"double beyond", withParam(`"d":1.00000000001e11`), wxads.CodeTooBig, p + ".d"},
		{"double below", withParam(`"d":-1e12`), wxads.CodeTooBig, p + ".d"}, // |x| ≤ 1e11
		{"null", withParam(`"x":null`), wxads.CodeWrongType, p + ".x"},
		{"nested object", withParam(`"x":{"y":1}`), wxads.CodeWrongType, p + ".x"},
		{"empty object value", withParam(`"x":{}`), wxads.CodeWrongType, p + ".x"},
		{"empty array", withParam(`"x":[]`), 0, ""},
		{"string array", withParam(`"x":["a","b"]`), 0, ""},
		{"bool array", withParam(`"x":[true,false]`), 0, ""},
		{"number array", withParam(`"x":[1,2.5,-3e2]`), 0, ""},
		{"mixed number string", withParam(`"x":[1,"a"]`), wxads.CodeWrongType, p + ".x"},
		{"mixed string bool", withParam(`"x":["a",true]`), wxads.CodeWrongType, p + ".x"},
		{"mixed bool number", withParam(`"x":[false,0]`), wxads.CodeWrongType, p + ".x"},
		{"nested array", withParam(`"x":[[1]]`), wxads.CodeWrongType, p + ".x[0]"},
		{"object in array", withParam(`"x":["a",{}]`), wxads.CodeWrongType, p + ".x[1]"},
		{"null in array", withParam(`"x":[1,null]`), wxads.CodeWrongType, p + ".x[1]"},
		{"int array beyond", withParam(`"x":[1,9223372036854775808]`), wxads.CodeTooBig, p + ".x[1]"},
		{"double array beyond", withParam(`"x":[0.5,-2e11]`), wxads.CodeTooBig, p + ".x[1]"},
		{"first key error wins", withParam(`"x":null,"":1`), wxads.CodeWrongType, p + ".x"},
		{"key error before missing claim", []member{m(p, `{"x":null}`)}, wxads.CodeWrongType, p + ".x"},
	})
}

func TestParamNormalized(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"source":"Biz","claim_type":1}`, `{"source":"Biz","claim_type":1}`},
		{` { "claim_type" : "0" , "source" : "Web" } `, `{"claim_type":0,"source":"Web"}`},
		{`{"source":"Biz","claim_type":1,"value":4000,"price":2.675,"rate":-3.14159,"n":-0,"i":12}`,
			`{"source":"Biz","claim_type":1,"value":4000,"price":2.675,"rate":-3.141,"n":0,"i":12}`},
		{`{"source":"Biz","claim_type":1,"s":"a\/b\u00e9\n\u0001\"","t":"plain é"}`,
			`{"source":"Biz","claim_type":1,"s":"a/bé\n\u0001\"","t":"plain é"}`},
		{`{"source":"Biz","claim_type":1,"x":[1,2.5,1e3],"y":[1,-2],"z":[],"b":[true,false],"d":1.5e3,"e":1e-5}`,
			`{"source":"Biz","claim_type":1,"x":[1.0,2.5,1000.0],"y":[1,-2],"z":[],"b":[true,false],"d":1500.0,"e":0.0}`},
		{`{"\u0073ource":"Biz","claim_type":1,"k\ud83d\ude00":"\ud800"}`,
			`{"source":"Biz","claim_type":1,"k😀":"` + "\uFFFD" + `"}`},
		{"{\"source\":\"Biz\",\"claim_type\":1,\"bad\":\"a\xffb\"}", `{"source":"Biz","claim_type":1,"bad":"a` + "\uFFFD" + `b"}`},
	} {
		a, err := mustDecodeOne(t, actionJSON(m("action_param", tc.in)))
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if string(a.Param) != tc.want {
			t.Errorf("Param of %s\n got %s\nwant %s", tc.in, a.Param, tc.want)
		}
	}
	a, _ := mustDecodeOne(t, actionJSON(m("action_param", `{"source":"Biz","claim_type":"1","value":123}`)))
	if a.ClaimType != wxads.ClaimFollow || a.Value != 123 {
		t.Errorf("ClaimType %d Value %d, want 1 123", a.ClaimType, a.Value)
	}
}

func TestParamSize(t *testing.T) {
	// pad builds an action_param of exactly n raw bytes.
	pad := func(n int, extra string) string {
		head := `{"source":"Biz","claim_type":0` + extra + `,"pad":"`
		return head + strings.Repeat("p", n-len(head)-2) + `"}`
	}
	const p = "action_param"
	runRules(t, []ruleCase{
		{"at limit", []member{m(p, pad(MaxParamBytes, ""))}, 0, ""},
		{"over limit", []member{m(p, pad(MaxParamBytes+1, ""))}, wxads.CodeTooLong, p},
		{"size before other errors", []member{m(p, pad(MaxParamBytes+1, `,"x":null`))}, wxads.CodeTooLong, p},
		// Serialized, not as sent: \u escapes and whitespace shrink when normalized.
		{"escaped over, normalized under", []member{m(p, `{"source":"Biz", "claim_type":0, "t":"`+
			strings.Repeat(`\u5546`, 40000)+`"}`)}, 0, ""},
		{"normalized over", []member{m(p, `{"source":"Biz","claim_type":0,"t":"`+
			strings.Repeat("商", 70000)+`"}`)}, wxads.CodeTooLong, p},
	})
}

// TestParamManyKeys covers the map used for duplicate checks past manyKeys.
func TestParamManyKeys(t *testing.T) {
	var b strings.Builder
	for i := range 3 * manyKeys {
		b.WriteString(`"k` + strconv.Itoa(i) + `":` + strconv.Itoa(i) + ",")
	}
	keys := b.String()
	runRules(t, []ruleCase{
		{"distinct", withParam(keys + `"last":1`), 0, ""},
		{"late duplicate", withParam(keys + `"k3":1`), wxads.CodeBadFormat, "action_param.k3"},
		{"duplicate of early key", withParam(keys + `"source":"Web"`), wxads.CodeBadFormat, "action_param.source"},
	})
}

// TestParamEscapedKeyPath checks that an escaped key still names the error
// after its value, itself escaped, reused the scratch space.
func TestParamEscapedKeyPath(t *testing.T) {
	_, err := mustDecodeOne(t, actionJSON(withParam(`"k\u00e9y":["\u0041",1]`)...))
	if err == nil || err.Param != "actions[0].action_param.kéy" {
		t.Errorf("got %v, want the path actions[0].action_param.kéy", err)
	}
}
