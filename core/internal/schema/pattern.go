package schema

import (
	"fmt"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
)

// matchTimeout stops runaway backtracking; a pattern that times out does
// not match.
const matchTimeout = 100 * time.Millisecond

// compilePattern compiles "pattern" and "patternProperties" as Ajv does,
// as JavaScript regular expressions with the "u" flag.
func compilePattern(p string) (*regexp2.Regexp, error) {
	if err := checkUnicodePattern(p); err != nil {
		return nil, fmt.Errorf("schema: Invalid regular expression: /%s/u: %w", p, err)
	}
	re, err := compileJS(p, regexp2.Unicode)
	if err != nil {
		return nil, fmt.Errorf("schema: Invalid regular expression: /%s/u: %w", p, err)
	}
	return re, nil
}

// compileJS compiles p with JavaScript semantics; some valid JavaScript
// patterns are rejected in regexp2's ECMAScript mode, whose default syntax
// is a superset.
func compileJS(p string, extra regexp2.RegexOptions) (*regexp2.Regexp, error) {
	re, err := regexp2.Compile(p, regexp2.ECMAScript|extra)
	if err != nil {
		if re, err = regexp2.Compile(p, regexp2.None); err != nil {
			return nil, err
		}
	}
	re.MatchTimeout = matchTimeout
	return re, nil
}

func matches(re *regexp2.Regexp, s string) bool {
	ok, err := re.MatchString(s)
	return ok && err == nil
}

// checkUnicodePattern rejects what JavaScript refuses in a pattern with the
// "u" flag and regexp2 accepts: escapes of characters that are not syntax
// characters, and lone braces or brackets.
func checkUnicodePattern(p string) error {
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return fmt.Errorf("\\ at end of pattern")
			}
			i++
			if err := checkEscape(p[i], inClass); err != nil {
				return err
			}
			if c := p[i]; (c == 'p' || c == 'P' || c == 'u') && i+1 < len(p) && p[i+1] == '{' {
				if j := strings.IndexByte(p[i:], '}'); j > 0 {
					i += j
				}
			}
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			if i+1 < len(p) && p[i+1] == '^' {
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				i++ // "[]" or "[^]"
				inClass = false
			}
		case c == ']' || c == '}':
			return fmt.Errorf("Lone quantifier brackets")
		case c == '{':
			j := i + 1
			for j < len(p) && (p[j] >= '0' && p[j] <= '9' || p[j] == ',') {
				j++
			}
			if j == i+1 || j >= len(p) || p[j] != '}' || p[i+1] == ',' {
				return fmt.Errorf("Incomplete quantifier")
			}
			i = j
		}
	}
	if inClass {
		return fmt.Errorf("Unterminated character class")
	}
	return nil
}

func checkEscape(c byte, inClass bool) error {
	switch c {
	case '^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/',
		'd', 'D', 'w', 'W', 's', 'S', 't', 'n', 'v', 'f', 'r', 'c', 'x', 'u', 'p', 'P', 'k', '0',
		'1', '2', '3', '4', '5', '6', '7', '8', '9':
		return nil
	case 'b':
		return nil
	case 'B':
		if !inClass {
			return nil
		}
	case '-':
		if inClass {
			return nil
		}
	}
	return fmt.Errorf("Invalid escape")
}
