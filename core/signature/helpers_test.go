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
