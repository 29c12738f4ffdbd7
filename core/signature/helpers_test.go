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

// decodeLowerHex takes lower-case hex of a MAC's length, as encoding/hex
// reads it, and nothing else.
func TestDecodeLowerHex(t *testing.T) {
	valid := hex.EncodeToString(macRaw("k", "m"))
	for _, v := range []string{valid, strings.ToUpper(valid), valid[:62], valid + "00", valid[:63] + "g", valid[:63] + " ", "", strings.Repeat("0", 64), strings.Repeat("f", 64)} {
		var got [sha256.Size]byte
		ok := decodeLowerHex(v, &got)
		want, err := hex.DecodeString(v)
		wantOK := err == nil && len(want) == sha256.Size && v == strings.ToLower(v)
		if ok != wantOK || ok && string(got[:]) != string(want) {
			t.Errorf("decodeLowerHex(%q) = %x, %v; want %x, %v", v, got, ok, want, wantOK)
		}
	}
}
