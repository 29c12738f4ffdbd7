package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func macRaw(key, msg string) []byte {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// Kept HMAC states give the same MACs as fresh ones, for the keys that get
// a pool and for those beyond maxKeyedPools, from many goroutines at once.
func TestKeptStatesMatchFreshOnes(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := "sk_" + strconv.Itoa((g+i)%(2*maxKeyedPools))
				body := strings.Repeat("b", i)
				want := hex.EncodeToString(macRaw(key, "1700000000000."+body))
				if body == "" {
					want = hex.EncodeToString(macRaw(key, "1700000000000.{}"))
				}
				if got := Compute(key, "1700000000000", []byte(body)); got != want {
					t.Errorf("key %s, body of %d bytes: %s, want %s", key, i, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A v1 entry matches only as the lower-case hex of the MAC, and the
// timestamp reads as strconv reads it.
func TestMatchesAndMillis(t *testing.T) {
	mac := macRaw("k", "m")
	var want [sha256.Size]byte
	copy(want[:], mac)
	valid := hex.EncodeToString(mac)
	for v, ok := range map[string]bool{valid: true, strings.ToUpper(valid): false, valid[:62]: false, valid + "00": false, valid[:63] + "g": false, "": false, strings.Repeat("0", 64): false} {
		p := parsed{header: "t=1, v1=x ,v1=" + v, timestamp: "1"}
		if got := p.matches(&want); got != ok {
			t.Errorf("v1=%q matches = %v, want %v", v, got, ok)
		}
	}
	for _, ts := range []string{"0", "1700000000000", "9999999999999999", "0000000000000042"} {
		want, _ := strconv.ParseInt(ts, 10, 64)
		if got := (parsed{timestamp: ts}).millis(); got != want {
			t.Errorf("millis(%s) = %d, want %d", ts, got, want)
		}
	}
}
