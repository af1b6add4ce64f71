package ingest

import (
	"math"
	"strconv"
	"testing"

	"github.com/wxads/wxads"
)

func TestAppendDouble(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		code     int
	}{
		{"2.675", "2.675", 0},
		{"1.0005", "1.0", 0},
		{"-3.14159", "-3.141", 0},
		{"1e11", "100000000000.0", 0},
		{"1.00000000001e11", "", wxads.CodeTooBig},
		{"-1.00000000001e11", "", wxads.CodeTooBig},
		{"100000000000.0001", "", wxads.CodeTooBig},
		{"-100000000000", "-100000000000.0", 0},
		{"99999999999.9999", "99999999999.999", 0},
		{"1e-5", "0.0", 0},
		{"123", "123.0", 0},
		{"0.1e2", "10.0", 0},
		{"1.5e3", "1500.0", 0},
		{"1E+2", "100.0", 0},
		{"0.000123e3", "0.123", 0},
		{"123456789e-20", "0.0", 0},
		{"1e400", "", wxads.CodeTooBig},
		{"-1e400", "", wxads.CodeTooBig},
		{"1e999999999999999999999", "", wxads.CodeTooBig},
		{"1e-999999999999999999999", "0.0", 0},
		{"0e999999999999999999999", "0.0", 0},
		{"-0", "0.0", 0},
		{"-0.0", "0.0", 0},
		{"-0.0004", "0.0", 0},
		{"-0.0015", "-0.001", 0},
		{"0.5", "0.5", 0},
		{"2.500", "2.5", 0},
		{"10.010", "10.01", 0},
		{"0.0000000000000000000000001e25", "1.0", 0},
		{"12345678901.23456789", "12345678901.234", 0},
	} {
		got, code := appendDouble([]byte("x"), []byte(tc.in))
		if code != tc.code || code == 0 && string(got) != "x"+tc.want {
			t.Errorf("appendDouble(%s) = %q, %d; want %q, %d", tc.in, got, code, "x"+tc.want, tc.code)
		}
		if code != 0 {
			continue
		}
		// The normalized text is a fixed point.
		again, _ := appendDouble(nil, []byte(tc.want))
		if string(again) != tc.want {
			t.Errorf("appendDouble(%s) = %q, not a fixed point", tc.want, again)
		}
	}
}

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		code int
	}{
		{"0", 0, 0},
		{"-0", 0, 0},
		{"42", 42, 0},
		{"-42", -42, 0},
		{"9223372036854775807", 1<<63 - 1, 0},
		{"9223372036854775808", 0, wxads.CodeTooBig},
		{"-9223372036854775808", -1 << 63, 0},
		{"-9223372036854775809", 0, wxads.CodeTooSmall},
		{"99999999999999999999999", 0, wxads.CodeTooBig},
	} {
		n, code := parseInt([]byte(tc.in))
		if n != tc.want || code != tc.code {
			t.Errorf("parseInt(%s) = %d, %d; want %d, %d", tc.in, n, code, tc.want, tc.code)
		}
	}
}

// TestDoubleNotFloat checks inputs whose binary float, multiplied by 1000
// and truncated, loses a unit (2.675*1000 = 2674.9999…): the decimal text
// must keep them.
func TestDoubleNotFloat(t *testing.T) {
	lossy := 0
	for _, in := range []string{"2.675", "0.285", "1.005", "4.35", "8.675", "99999999999.999"} {
		got, _ := appendDouble(nil, []byte(in))
		if string(got) != in {
			t.Errorf("appendDouble(%s) = %s", in, got)
		}
		f, _ := strconv.ParseFloat(in, 64)
		if math.Trunc(f*1000)/1000 != f {
			lossy++
		}
	}
	if lossy == 0 {
		t.Error("no input shows the float pitfall; pick others")
	}
}
