package sanitize

import (
	"net/url"
	"strings"
)

// checkURL returns the value to write for a URL attribute, and false when
// the attribute must go: the value, trimmed, must parse as a URL that is
// relative or has one of the allowed schemes, and it is written as
// net/url writes it back. Whitespace inside is allowed in data: URLs only,
// where line breaks are taken out of base64 content.
func checkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if strings.ContainsAny(raw, " \t\n") {
		if !strings.HasPrefix(raw, "data:") {
			return "", false
		}
		if n := base64Header(raw); n > 0 {
			raw = raw[:n] + dropLineBreaks(raw[n:])
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	switch u.Scheme {
	case "http", "https", "mailto", "tel", "cid", "data":
		return u.String(), true
	case "":
		s := u.String()
		return s, s != ""
	}
	return "", false
}

// base64Header returns the length of the "data:...;base64," header of a
// data URL, or 0 when the part up to its first comma is not such a header.
func base64Header(s string) int {
	comma := strings.IndexByte(s, ',')
	if comma < 0 {
		return 0
	}
	head := s[:comma+1]
	if len(head) < len("data:;base64,") || !strings.HasPrefix(head, "data:") || !strings.HasSuffix(head, ";base64,") {
		return 0
	}
	return len(head)
}

// dropLineBreaks removes every carriage return and line feed from s.
func dropLineBreaks(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\r' && c != '\n' {
			b.WriteByte(c)
		}
	}
	return b.String()
}
