package signature

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

const secret = "sk_test_conformance"

// Vectors computed with the reference SDK's HMAC (protocol SPEC §4.2).
func TestComputeVectors(t *testing.T) {
	tests := []struct{ body, want string }{
		{"", "0b0da56fc193d33432e191cc6dc4506bd6701d0426208cd03e9950eab3fc2602"},
		{"{}", "0b0da56fc193d33432e191cc6dc4506bd6701d0426208cd03e9950eab3fc2602"},
		{`{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`, "cbc4c399367ac36cc3bb7dd013267e103063b12d5fb1fc411681dc555b6daedc"},
		{`{"b":1,"a":2}`, "916518dcfb1651c84271e7c84f00ce7135d9afef814045b9dcc68c832ef2ce6d"},
		{"{\"payload\":{\"n\":1.5,\"big\":1e+21,\"small\":1e-7,\"s\":\"é<>&\u2028/\"}}", "21d0929b4cbc5ea643fc94ce9873793d06396aff20c75772a04d50104bc14b03"},
	}
	for _, tc := range tests {
		if got := Compute(secret, "1700000000000", []byte(tc.body)); got != tc.want {
			t.Errorf("Compute(%q) = %s, want %s", tc.body, got, tc.want)
		}
	}
}

func TestVerify(t *testing.T) {
	now := time.UnixMilli(1700000000000)
	body := []byte(`{"payload":{"name":"Ada"}}`)
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	good := Compute(secret, ts, body)
	at := func(d time.Duration) string { return Sign(secret, now.Add(d), body) }
	tests := []struct {
		name    string
		header  string
		body    []byte
		secrets []string
		want    error
	}{
		{"valid", Sign(secret, now, body), body, []string{secret}, nil},
		{"valid with spaces and reordered", "v1=" + good + " , t=" + ts, body, []string{secret}, nil},
		{"unknown schemes ignored", "t=" + ts + ",v0=abc,v2=def,v1=" + good, body, []string{secret}, nil},
		{"second v1 matches", "t=" + ts + ",v1=" + strings.Repeat("0", 64) + ",v1=" + good, body, []string{secret}, nil},
		{"fallback key", Sign("sk_old", now, body), body, []string{secret, "sk_old"}, nil},
		{"empty keys skipped", Sign(secret, now, body), body, []string{"", secret}, nil},
		{"just inside the window (past)", at(-DefaultTolerance + time.Second), body, []string{secret}, nil},
		{"just inside the window (future)", at(DefaultTolerance - time.Second), body, []string{secret}, nil},
		{"missing", "", body, []string{secret}, ErrNotSigned},
		{"blank", "   ", body, []string{secret}, ErrNotSigned},
		{"no key configured", Sign(secret, now, body), body, []string{""}, ErrNoSecret},
		{"no keys at all", Sign(secret, now, body), body, nil, ErrNoSecret},
		{"garbage", "garbage", body, []string{secret}, ErrInvalidHeader},
		{"no timestamp", "v1=" + good, body, []string{secret}, ErrInvalidHeader},
		{"no v1", "t=" + ts, body, []string{secret}, ErrInvalidHeader},
		{"empty v1", "t=" + ts + ",v1=", body, []string{secret}, ErrInvalidHeader},
		{"two timestamps", "t=" + ts + ",t=" + ts + ",v1=" + good, body, []string{secret}, ErrInvalidHeader},
		{"timestamp not decimal", "t=1.7e12,v1=" + good, body, []string{secret}, ErrInvalidHeader},
		{"negative timestamp", "t=-1,v1=" + good, body, []string{secret}, ErrInvalidHeader},
		{"timestamp too long", "t=" + strings.Repeat("9", 40) + ",v1=" + good, body, []string{secret}, ErrInvalidHeader},
		{"empty key", "=x,t=" + ts + ",v1=" + good, body, []string{secret}, ErrInvalidHeader},
		{"expired", at(-DefaultTolerance - time.Second), body, []string{secret}, ErrTooOld},
		{"seconds instead of milliseconds", "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + Compute(secret, strconv.FormatInt(now.Unix(), 10), body), body, []string{secret}, ErrTooOld},
		{"from the future", at(DefaultTolerance + time.Second), body, []string{secret}, ErrTooNew},
		{"tampered body", Sign(secret, now, body), []byte(`{"payload":{"name":"Eve"}}`), []string{secret}, ErrNoValidSignature},
		{"other key", Sign("sk_other", now, body), body, []string{secret}, ErrNoValidSignature},
		{"upper-case hex", "t=" + ts + ",v1=" + strings.ToUpper(good), body, []string{secret}, ErrNoValidSignature},
		{"truncated mac", "t=" + ts + ",v1=" + good[:63], body, []string{secret}, ErrNoValidSignature},
		{"not hex", "t=" + ts + ",v1=" + strings.Repeat("z", 64), body, []string{secret}, ErrNoValidSignature},
		{"timestamp changed", "t=" + strconv.FormatInt(now.UnixMilli()+1, 10) + ",v1=" + good, body, []string{secret}, ErrNoValidSignature},
		{"GET signed over {}", Sign(secret, now, nil), nil, []string{secret}, nil},
		{"GET signed over empty string is not {}", "t=" + ts + ",v1=" + string(hexOf(macRaw(secret, ts+"."))), nil, []string{secret}, ErrNoValidSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.header, tc.body, now, tc.secrets...)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("Verify() = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestVerifyWithTolerance(t *testing.T) {
	now := time.Now()
	h := Sign(secret, now.Add(-90*time.Second), nil)
	if err := VerifyWithTolerance(h, nil, now, time.Minute, secret); !errors.Is(err, ErrTooOld) {
		t.Fatalf("err = %v", err)
	}
	if err := VerifyWithTolerance(h, nil, now, 2*time.Minute, secret); err != nil {
		t.Fatalf("err = %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	now := time.UnixMilli(1700000000000)
	f.Add(Sign(secret, now, []byte("{}")), []byte("{}"))
	f.Add("t=1700000000000,v1=abc,v1=", []byte(""))
	f.Add(" , ,t==,v1==,", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := Verify(header, body, now, secret)
		if err == nil {
			// Anything accepted must carry a MAC of exactly this body.
			p, perr := parse(header)
			if perr != nil {
				t.Fatalf("accepted a header that does not parse: %q", header)
			}
			want := Compute(secret, p.timestamp, body)
			found := false
			pairs(header, func(k, v string) bool {
				found = found || k == "v1" && v == want
				return true
			})
			if !found {
				t.Fatalf("accepted %q for body %q", header, body)
			}
		}
	})
}

func hexOf(b []byte) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&0xf]
	}
	return out
}
