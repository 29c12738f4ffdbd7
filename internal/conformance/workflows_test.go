package conformance

import (
	"testing"
	"unicode/utf16"
)

// TestJSLength checks jsLength against the UTF-16 encoding it counts.
func TestJSLength(t *testing.T) {
	for _, s := range []string{"", "Welcome", "Grüße", "日本語", "hi 👋🏽", "bad\xff\xfe", "\U0010FFFF", "\xed\xa0\x80"} {
		if got, want := jsLength(s), len(utf16.Encode([]rune(s))); got != want {
			t.Errorf("jsLength(%q) = %d, want %d", s, got, want)
		}
	}
}
