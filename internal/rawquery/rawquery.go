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
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(k); err != nil || k != key {
			continue
		}
		if v, err := url.QueryUnescape(v); err == nil {
			return v
		}
	}
	return ""
}
