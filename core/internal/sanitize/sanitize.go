// Package sanitize cleans the HTML in email and in-app outputs before they
// leave the bridge, with a policy close to the one Novu's SDK gives
// sanitize-html: ordinary document and formatting markup, styles and images
// stay; scripts, event handler attributes and script URLs go.
//
// The sanitiser walks golang.org/x/net/html's tokens and writes back what
// the policy keeps. Elements not in the policy lose their tags but keep
// their text, except script-like ones (script, noscript, iframe, object,
// embed, frame, frameset, noembed, noframes, nostyle), whose content goes
// too. Comments and doctypes go; a doctype at the very start is kept as it
// came. Attributes stay when the policy lists them, globally or for the
// element, or when they are data-* attributes; href on a and link, src on
// img and cite on blockquote and q must hold a relative URL or one with an
// http, https, mailto, tel, cid or data scheme. Elements such as a, img and
// font that keep no attribute are dropped (their content stays). Text and
// attribute values are written with & ' < > " escaped, except the text of
// <style>, which is written as it came; void elements are closed as
// "<br />", the way sanitize-html writes them.
package sanitize

import (
	"strings"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// String sanitises one string. Text without markup characters (<, > and &)
// is returned unchanged, quotes and carriage returns included, which the
// full pass would write as &#39; &#34; and line feeds (TestFastPath).
func String(s string) string {
	if !strings.ContainsAny(s, "<>&") {
		return s
	}
	return clean(s)
}

// Value sanitises every string inside an ordered JSON value, in place.
func Value(v any) any {
	switch t := v.(type) {
	case string:
		if clean := String(t); clean != t {
			return clean
		}
		return v // unchanged, and boxed already
	case *jsonx.Object:
		for i := range t.Members {
			t.Members[i].Value = Value(t.Members[i].Value)
		}
		return t
	case []any:
		for i := range t {
			t[i] = Value(t[i])
		}
		return t
	default:
		return v
	}
}
