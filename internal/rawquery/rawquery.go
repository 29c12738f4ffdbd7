// Package rawquery reads one value from a raw URL query string without
// parsing the whole query into a map.
package rawquery

import (
	"net/url"
	"strings"
)

// Get returns what url.ParseQuery(raw) would give for key through
// url.Values.Get: the first value of key, "" when there is none. Pairs
// that url.ParseQuery skips (those with a semicolon, or whose key or value
// does not unescape) are skipped here too.
func Get(raw, key string) string {
	var v [1]string
	GetEach(raw, []string{key}, v[:])
	return v[0]
}

// GetEach sets values[i] to Get(raw, keys[i]) for every key, in one pass
// over raw. There may be at most 64 keys; values is as long as keys.
func GetEach(raw string, keys, values []string) {
	if len(keys) > 64 || len(values) != len(keys) {
		panic("rawquery: GetEach takes at most 64 keys, and as many values")
	}
	clear(values)
	var found, all uint64 = 0, 1<<len(keys) - 1
	for raw != "" && found != all {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := unescape(k)
		if err != nil {
			continue
		}
		unescaped := false
		for i, key := range keys {
			if key != k || found&(1<<i) != 0 {
				continue
			}
			if !unescaped {
				if v, err = unescape(v); err != nil {
					break
				}
				unescaped = true
			}
			values[i] = v
			found |= 1 << i
		}
	}
}

// unescape is url.QueryUnescape, which it skips for the usual text that
// holds nothing to unescape.
func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	return url.QueryUnescape(s)
}
