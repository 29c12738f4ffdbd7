package tmpl

import (
	"math"
	"strconv"
	"strings"
	"sync"

	pluralize "github.com/gertd/go-pluralize"
)

// plural builds the pluralisation rules (hundreds of regular expressions)
// when a template first needs them, not at start-up.
var plural = sync.OnceValue(pluralize.NewClient)

func jsonFilter(v any, indent ...int) string {
	n := 0
	if len(indent) > 0 {
		n = indent[0]
	}
	switch v.(type) {
	case map[string]any, []any:
		return singleQuoteJSON(v, n)
	case nil:
		return ""
	default:
		return jsString(v)
	}
}

// valueAt reads a dotted key path from v and formats it as the SDK does:
// strings as they are, numbers and booleans as text, objects as JSON (an
// empty object as nothing).
func valueAt(v any, path string) string {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64, bool, int:
		return jsString(t)
	case map[string]any, []any:
		s := singleQuoteJSON(t, 0)
		if s == "{}" {
			return ""
		}
		return strings.ReplaceAll(s, "'", `"`)
	}
	return ""
}

func labels(v any, keyPath string) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		if keyPath != "" {
			if _, isObj := e.(map[string]any); isObj {
				out[i] = valueAt(e, keyPath)
			}
			continue
		}
		out[i] = jsString(e)
	}
	return out, true
}

// digest lists a digest's events: "a, b and 3 others".
func digest(v any, args ...any) string {
	limit, keyPath, sep := 2, "", ", "
	if len(args) > 0 {
		limit = toInt(args[0], 2)
	}
	if len(args) > 1 {
		keyPath, _ = args[1].(string)
	}
	if len(args) > 2 {
		if s, ok := args[2].(string); ok {
			sep = s
		}
	}
	items, ok := labels(v, keyPath)
	if !ok {
		return ""
	}
	switch {
	case len(items) == 1:
		return items[0]
	case len(items) == 2:
		return items[0] + " and " + items[1]
	case limit >= len(items):
		return strings.Join(items[:len(items)-1], sep) + " and " + items[len(items)-1]
	}
	rest := len(items) - limit
	word := "others"
	if rest == 1 {
		word = "other"
	}
	return strings.Join(items[:limit], sep) + " and " + strconv.Itoa(rest) + " " + word
}

// toSentence joins a list: "a, b, and 2 others".
func toSentence(v any, args ...any) string {
	opt := []string{"", "", "other", ", ", " and ", ", and "}
	limit := 2
	for i, a := range args {
		if i == 1 {
			limit = toInt(a, 2)
			continue
		}
		if i < len(opt) {
			if s, ok := a.(string); ok {
				opt[i] = s
			}
		}
	}
	keyPath, suffix, words, two, last := opt[0], opt[2], opt[3], opt[4], opt[5]
	items, ok := labels(v, keyPath)
	if !ok {
		return ""
	}
	n := len(items)
	switch {
	case n == 1:
		return items[0]
	case n == 2:
		return items[0] + two + items[1]
	case limit >= n:
		return strings.Join(items[:n-1], words) + last + items[n-1]
	}
	rest := n - limit
	conn := last
	if limit == 1 {
		conn = two
	}
	return strings.Join(items[:limit], words) + conn + strconv.Itoa(rest) + " " + plural().Pluralize(suffix, rest, false)
}

// pluralizeFilter prints a count with the right form of a noun: "3 apples".
func pluralizeFilter(v any, args ...string) string {
	singular, pluralForm, showCount := "", "", "true"
	if len(args) > 0 {
		singular = args[0]
	}
	if len(args) > 1 {
		pluralForm = args[1]
	}
	if len(args) > 2 {
		showCount = args[2]
	}
	var n float64
	switch t := v.(type) {
	case nil:
		return ""
	case []any:
		n = float64(len(t))
	case map[string]any:
		n = float64(len(t))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err == nil {
			n = f
		}
	case float64:
		n = t
	case int:
		n = float64(t)
	case bool:
		if t {
			n = 1
		}
	}
	if math.IsNaN(n) || n <= 0 {
		return ""
	}
	var word string
	if pluralForm != "" {
		word = pluralForm
		if n == 1 {
			word = singular
		}
	} else {
		word = plural().Pluralize(singular, int(n), false)
	}
	if showCount == "true" {
		return formatNumber(n) + " " + word
	}
	return word
}

func toInt(v any, def int) int {
	switch t := v.(type) {
	case float64:
		return int(t)
	case int:
		return t
	case string:
		if n, err := strconv.Atoi(t); err == nil {
			return n
		}
	}
	return def
}
