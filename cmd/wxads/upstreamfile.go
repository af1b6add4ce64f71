package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// upstreamFile is the relay's config file (--upstream-config FILE,
// WXADS_UPSTREAM_CONFIG): a JSON object, every member optional. It holds the
// upstream secret, so it must be readable by its owner only.
type upstreamFile struct {
	Upstream       string          `json:"upstream"`
	UpstreamAppID  string          `json:"upstream_appid"`
	UpstreamSecret string          `json:"upstream_secret"`
	UpstreamSets   json.RawMessage `json:"upstream_sets"` // "1=123,2=456" or {"1": 123, "2": 456}
	UpstreamDir    string          `json:"upstream_dir"`
}

const upstreamFileKeys = "upstream, upstream_appid, upstream_secret, upstream_sets, upstream_dir"

// fromFile fills, from the file at path, each upstream setting that neither
// its flag nor its environment variable gave: flag > environment > file.
// Nothing read from the file, the secret above all, goes into an error.
func (u *UpstreamConfig) fromFile(path string, fs *flag.FlagSet, lookupEnv func(string) (string, bool), sets *string) error {
	if path == "" {
		return nil
	}
	fc, err := readUpstreamFile(path)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fileSets, err := fc.sets()
	if err != nil {
		return fmt.Errorf("--upstream-config %s: %w", path, err)
	}
	for _, s := range []struct {
		flag, env string
		dst       *string
		val       string
	}{
		{"upstream", "WXADS_UPSTREAM", &u.URL, fc.Upstream},
		{"upstream-appid", "WXADS_UPSTREAM_APPID", &u.AppID, fc.UpstreamAppID},
		{"upstream-secret", "WXADS_UPSTREAM_SECRET", &u.Secret, fc.UpstreamSecret},
		{"upstream-sets", "WXADS_UPSTREAM_SETS", sets, fileSets},
		{"upstream-dir", "WXADS_UPSTREAM_DIR", &u.Dir, fc.UpstreamDir},
	} {
		if v, _ := lookupEnv(s.env); given[s.flag] || v != "" || s.val == "" {
			continue
		}
		*s.dst = s.val
	}
	return nil
}

// readUpstreamFile refuses a file others may read: it holds a secret.
func readUpstreamFile(path string) (*upstreamFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--upstream-config: %w / 无法读取上游配置文件", err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("--upstream-config %s: mode %04o lets others read the upstream secret it holds; "+
			"refusing to read it. Run: chmod 600 %s / 该文件含上游 secret，权限须为 0600（仅属主可读写），请执行 chmod 600",
			path, st.Mode().Perm(), path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--upstream-config: %w / 无法读取上游配置文件", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	fc := new(upstreamFile)
	if err := dec.Decode(fc); err != nil {
		return nil, fmt.Errorf("--upstream-config %s: %s (want a JSON object with %s) / 上游配置文件格式错误",
			path, jsonProblem(err), upstreamFileKeys)
	}
	return fc, nil
}

// jsonProblem says what is wrong with the file without quoting its values.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the file is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "not valid JSON: it ends too early"
	case errors.As(err, &syn):
		return "not valid JSON at byte " + strconv.FormatInt(syn.Offset, 10)
	case errors.As(err, &typ):
		return fmt.Sprintf("%q must be a %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown member " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "not a JSON object"
}

// sets reads upstream_sets, a string as --upstream-sets takes or an object
// of local id → upstream id, into the flag's form.
func (fc *upstreamFile) sets() (string, error) {
	raw := bytes.TrimSpace(fc.UpstreamSets)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var m map[string]int64
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", errors.New(`"upstream_sets" must be "1=123,2=456" or {"1": 123, "2": 456} (local data source id = upstream id)`)
	}
	pairs := make([]string, 0, len(m))
	for l, up := range m {
		pairs = append(pairs, l+"="+strconv.FormatInt(up, 10))
	}
	slices.Sort(pairs)
	return strings.Join(pairs, ","), nil
}
