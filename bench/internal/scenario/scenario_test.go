package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

func names(t *testing.T, list string) []string {
	t.Helper()
	reqs, err := Named(list)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range reqs {
		out = append(out, r.Name)
	}
	return out
}

func TestNamed(t *testing.T) {
	all := []string{"execute-email", "execute-custom", "discover", "health-check"}
	for _, tc := range []struct {
		list string
		want []string
	}{
		{"", all},
		{"all", all},
		{"health-check, execute-email", []string{"health-check", "execute-email"}},
	} {
		if diff := cmp.Diff(tc.want, names(t, tc.list)); diff != "" {
			t.Errorf("Named(%q) (-want +got):\n%s", tc.list, diff)
		}
	}
	if _, err := Named("execute-email,nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("an unknown scenario gave %v", err)
	}
}

func TestMixed(t *testing.T) {
	seen := map[string]bool{}
	refused := 0
	for _, r := range Mixed() {
		if seen[r.Name] {
			t.Errorf("%s twice", r.Name)
		}
		seen[r.Name] = true
		if r.Want == 0 || !strings.HasPrefix(r.Target, Path+"?") {
			t.Errorf("%s: want %d, target %q", r.Name, r.Want, r.Target)
		}
		if r.Want >= 400 {
			refused++
		}
	}
	if refused < 10 || len(seen)-refused < 5 {
		t.Errorf("%d refused and %d valid requests: not much of a mix", refused, len(seen)-refused)
	}
}

func TestSigners(t *testing.T) {
	now := time.Now()
	body := []byte(`{"payload":{}}`)
	if err := signature.Verify(Valid(now, body), body, now, conformance.Secret); err != nil {
		t.Errorf("Valid: %v", err)
	}
	for name, tc := range map[string]struct {
		header string
		want   error
	}{
		"wrong key": {SignedWith("sk_other")(now, body), signature.ErrNoValidSignature},
		"expired":   {SignedAt(-10*time.Minute)(now, body), signature.ErrTooOld},
		"future":    {SignedAt(10*time.Minute)(now, body), signature.ErrTooNew},
		"tampered":  {SignedOver([]byte(`{}`))(now, body), signature.ErrNoValidSignature},
	} {
		if err := signature.Verify(tc.header, body, now, conformance.Secret); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}
