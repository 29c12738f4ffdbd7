package sanitize

import "strings"

// oracle is the bluemonday pipeline String runs, which the differential
// test and fuzz target hold String to.
func oracle(s string) string {
	if !strings.ContainsAny(s, "<>&") {
		return s
	}
	return oracleSlow(s)
}

// oracleSlow is the pipeline without its fast path: bluemonday with the
// policy, a leading doctype kept as it was, and void elements rewritten
// from "<br>" to "<br />".
func oracleSlow(s string) string {
	prefix := doctype.FindString(s)
	return prefix + voidTag.ReplaceAllString(policy().Sanitize(s[len(prefix):]), "<$1$2 />")
}
