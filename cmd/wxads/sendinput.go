package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wxads/wxads/client"
)

// csvColumns are the columns `wxads send` reads from CSV, in the order
// docs/cli.md lists them. A column "param.KEY" adds KEY to action_param.
var csvColumns = []string{"url", "action_type", "action_time", "openid", "wechat_app_id", "custom_action",
	"click_id", "outer_action_id", "value", "claim_type", "source"}

// inputAction is an action read from the input and the line it came from.
type inputAction struct {
	Line   int
	Action client.UserAction
}

// inputDefaults fill what a line leaves out.
type inputDefaults struct {
	SetID int64
	AppID string
}

// maxInputErrors is how many bad lines are listed before giving up.
const maxInputErrors = 10

// inputFormat decides jsonl or csv: by flag, by file extension, else by the
// first byte (a JSON line starts with '{').
func inputFormat(flag, name string, head []byte) (string, error) {
	switch flag {
	case "jsonl", "csv":
		return flag, nil
	case "", "auto":
	default:
		return "", usagef("--format %q: want auto, jsonl or csv", flag)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return "csv", nil
	case ".jsonl", ".ndjson", ".json":
		return "jsonl", nil
	}
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return "jsonl", nil
	}
	return "csv", nil
}

// readActions reads every action of r. Bad lines are reported together
// (at most maxInputErrors) and nothing is returned with them, so a file
// with a mistake is sent not at all rather than in part.
func readActions(r io.Reader, format string, d inputDefaults) ([]inputAction, error) {
	var out []inputAction
	var errs []error
	add := func(line int, a client.UserAction, err error) bool {
		if err == nil {
			err = d.fill(&a)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
		} else {
			out = append(out, inputAction{line, a})
		}
		return len(errs) < maxInputErrors
	}
	var err error
	if format == "csv" {
		err = readCSV(r, add)
	} else {
		err = readJSONLines(r, add)
	}
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s\n%w", bi("nothing sent: the input has errors", "输入有误，未发送任何数据"), errors.Join(errs...))
	}
	if len(out) == 0 {
		return nil, errors.New(bi("nothing to send: the input holds no action", "输入中没有行为数据"))
	}
	return out, nil
}

func (d inputDefaults) fill(a *client.UserAction) error {
	switch a.UserActionSetID {
	case 0:
		a.UserActionSetID = d.SetID
	case d.SetID:
	default:
		return fmt.Errorf("user_action_set_id %d differs from --set %d", a.UserActionSetID, d.SetID)
	}
	if a.UserID.WechatAppID == "" {
		a.UserID.WechatAppID = d.AppID
	}
	return nil
}

func readJSONLines(r io.Reader, add func(int, client.UserAction, error) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var a client.UserAction
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.UseNumber() // keep 1.0 a double and big integers exact, as written
		err := dec.Decode(&a)
		if err == nil && dec.More() {
			err = errors.New("more than one JSON value on the line (want one action per line)")
		}
		if err != nil {
			err = fmt.Errorf("not a JSON action: %v", err)
		}
		if !add(line, a, err) {
			return nil
		}
	}
	return sc.Err()
}

func readCSV(r io.Reader, add func(int, client.UserAction, error) bool) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("CSV header: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "wechat_openid" {
			h = "openid"
		}
		if !strings.HasPrefix(h, "param.") && !slices.Contains(csvColumns, h) {
			return fmt.Errorf("CSV header: unknown column %q (known: %s, param.KEY) / 未知列", h, strings.Join(csvColumns, ", "))
		}
		col[h] = i
	}
	for _, need := range []string{"url", "action_type", "openid"} {
		if _, ok := col[need]; !ok {
			return fmt.Errorf("CSV header: column %q is required (header: %s) / 缺少必需列", need, strings.Join(header, ","))
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			if !add(line, client.UserAction{}, err) {
				return nil
			}
			continue
		}
		a, err := csvAction(header, col, rec)
		if !add(line, a, err) {
			return nil
		}
	}
}

func csvAction(header []string, col map[string]int, rec []string) (client.UserAction, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	a := client.UserAction{URL: get("url"), ActionType: get("action_type"), CustomAction: get("custom_action"),
		OuterActionID: get("outer_action_id"),
		UserID:        client.UserID{WechatAppID: get("wechat_app_id"), WechatOpenID: get("openid")}}
	if id := get("click_id"); id != "" {
		a.Trace = &client.Trace{ClickID: id}
	}
	if t := get("action_time"); t != "" {
		sec, err := parseActionTime(t)
		if err != nil {
			return a, err
		}
		a.ActionTime = sec
	}
	param := map[string]any{}
	for _, k := range []string{"value", "claim_type", "source"} {
		if v := get(k); v != "" {
			param[k] = csvValue(v, k == "source")
		}
	}
	for name, i := range col {
		if k, ok := strings.CutPrefix(name, "param."); ok && i < len(rec) && rec[i] != "" {
			param[k] = csvValue(rec[i], false)
		}
	}
	if len(param) > 0 {
		a.ActionParam = param
	}
	return a, nil
}

// csvValue is a number or boolean when the cell is one, else the text; the
// platform judges the type (18002 names the key).
func csvValue(s string, text bool) any {
	if !text {
		if s == "true" || s == "false" {
			return s == "true"
		}
		if json.Valid([]byte(s)) && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
			return json.Number(s)
		}
	}
	return s
}

// parseActionTime takes Unix seconds, "YYYY-MM-DD HH:MM:SS" in GMT+8, or RFC 3339.
func parseActionTime(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if t, err := time.ParseInLocation(time.DateTime, s, gmt8); err == nil {
		return t.Unix(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Unix(), nil
	}
	return 0, fmt.Errorf("action_time %q: want Unix seconds, \"YYYY-MM-DD HH:MM:SS\" (GMT+8) or RFC 3339 / action_time 格式错误", s)
}
