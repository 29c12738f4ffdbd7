package schema

import (
	"math"
	"regexp"
	"strings"
	"sync"

	"github.com/dlclark/regexp2"
)

// The formats of ajv-formats in its full mode, with its rules. Regular
// expressions are compiled on first use, never at start-up. Those that
// ajv-formats marks case-insensitive run on the input with ASCII letters
// lowered, which is what JavaScript's non-Unicode "i" flag amounts to.

// lookupFormat returns the check of a format, or nil for formats that
// accept everything and for unknown formats, which Ajv ignores when not
// strict.
func lookupFormat(name string) *formatCheck {
	msg := `must match format "` + name + `"`
	switch name {
	case "int32":
		return &formatCheck{number: func(f float64) bool { return isInteger(f) && f >= -(1<<31) && f <= 1<<31-1 }, msg: msg}
	case "int64":
		return &formatCheck{number: isInteger, msg: msg}
	case "float", "double":
		return &formatCheck{number: func(float64) bool { return true }, msg: msg}
	}
	if f := stringFormat(name); f != nil {
		return &formatCheck{str: f, msg: msg}
	}
	return nil
}

// isInteger is Number.isInteger.
func isInteger(f float64) bool { return !math.IsInf(f, 0) && f == math.Trunc(f) }

func knownFormat(name string) bool {
	switch name {
	case "password", "binary", "int32", "int64", "float", "double":
		return true
	}
	return stringFormat(name) != nil
}

func stringFormat(name string) func(string) bool {
	switch name {
	case "date":
		return isDate
	case "time":
		return isTime
	case "date-time":
		return isDateTime
	case "duration":
		return isDuration
	case "uri":
		return func(s string) bool { return strings.ContainsAny(s, "/:") && reURI.match(asciiLower(s)) }
	case "uri-reference":
		return func(s string) bool { return reURIReference.match(asciiLower(s)) }
	case "uri-template":
		return func(s string) bool { return reURITemplate.match(asciiLower(s)) }
	case "url":
		return reURL.match
	case "email":
		return func(s string) bool { return reEmail.match(asciiLower(s)) }
	case "hostname":
		return isHostname
	case "ipv4":
		return reIPv4.match
	case "ipv6":
		return func(s string) bool { return reIPv6.match(asciiLower(s)) }
	case "regex":
		return isRegex
	case "uuid":
		return func(s string) bool { return reUUID.match(asciiLower(s)) }
	case "json-pointer":
		return reJSONPointer.match
	case "json-pointer-uri-fragment":
		return func(s string) bool { return reJSONPointerFragment.match(asciiLower(s)) }
	case "relative-json-pointer":
		return reRelativeJSONPointer.match
	case "byte":
		return isByte
	}
	return nil
}

// formatCompare is the comparison behind formatMaximum and its kin; ok is
// false where ajv-formats' comparison gives undefined, which passes.
func formatCompare(name string) func(a, b string) (int, bool) {
	switch name {
	case "date":
		return compareDate
	case "time":
		return compareTime
	case "date-time":
		return compareDateTime
	}
	return nil
}

// lazyRE is a regular expression compiled on first use.
type lazyRE struct {
	once sync.Once
	src  string
	re   *regexp.Regexp
}

func (l *lazyRE) match(s string) bool {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re.MatchString(s)
}

// lazyJSRE is a JavaScript regular expression compiled on first use, for
// the one format that needs look-ahead.
type lazyJSRE struct {
	once sync.Once
	src  string
	re   *regexp2.Regexp
}

func (l *lazyJSRE) match(s string) bool {
	l.once.Do(func() {
		l.re = regexp2.MustCompile(l.src, regexp2.ECMAScript|regexp2.IgnoreCase)
		l.re.MatchTimeout = matchTimeout
	})
	return matches(l.re, s)
}

const (
	ipv4Part = `(?:25[0-5]|2[0-4]\d|[01]?\d\d?)`
	ipv6Lit  = `\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:` + ipv4Part + `\.){3}` + ipv4Part + `)|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]`
	// uriAuthority is what follows the scheme in ajv-formats' URI; QQ marks
	// where its uri-reference also accepts a double quote.
	uriAuthority     = `(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:` + ipv6Lit + `|(?:` + ipv4Part + `\.){3}` + ipv4Part + `|(?:[a-z0-9\-._~!$&'QQ()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'QQ()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'QQ()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'QQ()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'QQ()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'QQ()*+,;=:@]|%[0-9a-f]{2})*)*)`
	uriQueryFragment = `(?:\?(?:[a-z0-9\-._~!$&'QQ()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'QQ()*+,;=:@/?]|%[0-9a-f]{2})*)?$`
)

var (
	reURI                 = lazyRE{src: `^(?:[a-z][a-z0-9+\-.]*:)` + strings.ReplaceAll(uriAuthority+uriQueryFragment, "QQ", "")}
	reURIReference        = lazyRE{src: `^(?:[a-z][a-z0-9+\-.]*:)?(?:` + strings.ReplaceAll(uriAuthority, "QQ", `"`) + `)?` + strings.ReplaceAll(uriQueryFragment, "QQ", `"`)}
	reURITemplate         = lazyRE{src: `^(?:(?:[^\x00-\x20"'<>%\\^` + "`" + `{|}]|%[0-9a-f]{2})|\{[+#./;?&=,!@|]?(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?)*\})*$`}
	reEmail               = lazyRE{src: `^[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`}
	reHostname            = lazyRE{src: `^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$`}
	reIPv4                = lazyRE{src: `^(?:` + ipv4Part + `\.){3}` + ipv4Part + `$`}
	reIPv6                = lazyRE{src: `^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$`}
	reUUID                = lazyRE{src: `^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$`}
	reJSONPointer         = lazyRE{src: `^(?:\/(?:[^~/]|~0|~1)*)*$`}
	reJSONPointerFragment = lazyRE{src: `^#(?:\/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~0|~1)*)*$`}
	reRelativeJSONPointer = lazyRE{src: `^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$`}
	reDurationBody        = lazyRE{src: `^(?:(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$`}
	reURL                 = lazyJSRE{src: `^(?:https?|ftp):\/\/(?:[^` + jsSpaceJS + `]+(?::[^` + jsSpaceJS + `]*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u00a1-\uffff]+-)*[a-z0-9\u00a1-\uffff]+)(?:\.(?:[a-z0-9\u00a1-\uffff]+-)*[a-z0-9\u00a1-\uffff]+)*(?:\.(?:[a-z\u00a1-\uffff]{2,})))(?::\d{2,5})?(?:\/[^` + jsSpaceJS + `]*)?$`}
)

// jsSpaceJS is JavaScript's \s, written for regexp2.
const jsSpaceJS = `\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) || !isDigits(s[5:7]) || !isDigits(s[8:]) {
		return false
	}
	year := atoi2(s[:2])*100 + atoi2(s[2:4])
	month, day := atoi2(s[5:7]), atoi2(s[8:])
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		days = 29
	}
	return day <= days
}

// parseTime matches ajv-formats' time, /^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?$/i,
// and returns its digits and fraction for comparisons.
func parseTime(s string) (string, bool) {
	fraction, ok := checkTime(s)
	if !ok {
		return "", false
	}
	return s[:2] + s[3:5] + s[6:8] + fraction, true
}

// isTime is parseTime's test alone, which allocates nothing.
func isTime(s string) bool {
	_, ok := checkTime(s)
	return ok
}

// checkTime is parseTime's test; it returns the fraction of a second, with
// its dot, as written.
func checkTime(s string) (fraction string, ok bool) {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' || !isDigits(s[:2]) || !isDigits(s[3:5]) || !isDigits(s[6:8]) {
		return "", false
	}
	h, m, sec := atoi2(s[:2]), atoi2(s[3:5]), atoi2(s[6:8])
	rest := s[8:]
	if strings.HasPrefix(rest, ".") {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 1 {
			return "", false
		}
		fraction = rest[:j]
		rest = rest[j:]
	}
	switch {
	case rest == "" || rest == "z" || rest == "Z":
	case rest[0] == '+' || rest[0] == '-':
		tz := rest[1:]
		ok := len(tz) == 2 && isDigits(tz) ||
			len(tz) == 4 && isDigits(tz) ||
			len(tz) == 5 && tz[2] == ':' && isDigits(tz[:2]) && isDigits(tz[3:])
		if !ok {
			return "", false
		}
	default:
		return "", false
	}
	if !(h <= 23 && m <= 59 && sec <= 59) && !(h == 23 && m == 59 && sec == 60) {
		return "", false
	}
	return fraction, true
}

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// dateTimeParts splits at every "t", "T" or white space, as ajv-formats does.
func dateTimeParts(s string) []string {
	var parts []string
	start := 0
	for i, r := range s {
		if r == 't' || r == 'T' || isJSSpace(r) {
			parts = append(parts, s[start:i])
			start = i + len(string(r))
		}
	}
	return append(parts, s[start:])
}

func isDateTime(s string) bool {
	date, time, ok := splitDateTime(s)
	return ok && isDate(date) && isTime(time)
}

// splitDateTime is dateTimeParts for exactly two parts, without a slice.
func splitDateTime(s string) (date, time string, ok bool) {
	cut := -1
	for i, r := range s {
		if r == 't' || r == 'T' || isJSSpace(r) {
			if cut >= 0 {
				return "", "", false
			}
			date, time, cut = s[:i], s[i+len(string(r)):], i
		}
	}
	return date, time, cut >= 0
}

func isDuration(s string) bool {
	if len(s) < 2 || s[0] != 'P' {
		return false
	}
	body := s[1:]
	if i := strings.IndexByte(body, 'T'); i >= 0 && (i+1 >= len(body) || body[i+1] < '0' || body[i+1] > '9') {
		return false
	}
	return reDurationBody.match(body)
}

func isHostname(s string) bool {
	if strings.ContainsAny(s, "\n\r\u2028\u2029") {
		return false
	}
	n := len([]rune(s))
	if n < 1 || n > 254 || (n == 254 && !strings.HasSuffix(s, ".")) {
		return false
	}
	return reHostname.match(asciiLower(s))
}

func isRegex(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if s[i] == '\\' && s[i+1] == 'Z' && s[i-1] != '\\' {
			return false
		}
	}
	_, err := compileJS(s, 0)
	return err == nil
}

func isByte(s string) bool {
	start := 0
	for i, r := range s {
		if r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029 {
			if isBase64Line(s[start:i]) {
				return true
			}
			start = i + len(string(r))
		}
	}
	return isBase64Line(s[start:])
}

func isBase64Line(s string) bool {
	if len(s)%4 != 0 {
		return false
	}
	body := strings.TrimSuffix(s, "==")
	if len(body) == len(s) {
		body = strings.TrimSuffix(s, "=")
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

func compareStrings(a, b string) int {
	switch {
	case a > b:
		return 1
	case a < b:
		return -1
	}
	return 0
}

func compareDate(a, b string) (int, bool) {
	if a == "" || b == "" {
		return 0, false
	}
	return compareStrings(a, b), true
}

func compareTime(a, b string) (int, bool) {
	if a == "" || b == "" {
		return 0, false
	}
	ka, okA := parseTime(a)
	kb, okB := parseTime(b)
	if !okA || !okB {
		return 0, false
	}
	return compareStrings(ka, kb), true
}

func compareDateTime(a, b string) (int, bool) {
	if a == "" || b == "" {
		return 0, false
	}
	pa, pb := dateTimeParts(a), dateTimeParts(b)
	c, ok := compareDate(pa[0], pb[0])
	if !ok || c != 0 {
		return c, ok
	}
	if len(pa) < 2 || len(pb) < 2 {
		return 0, false
	}
	return compareTime(pa[1], pb[1])
}
