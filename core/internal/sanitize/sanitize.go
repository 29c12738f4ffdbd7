// Package sanitize cleans the HTML in email and in-app outputs before they
// leave the bridge, with github.com/microcosm-cc/bluemonday and a policy close
// to the one Novu's SDK gives sanitize-html: ordinary document and formatting
// markup, styles and images stay; scripts, event handler attributes and
// script URLs go.
package sanitize

import (
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// policy is built when the first string with markup is sanitised, not at
// start-up.
var policy = sync.OnceValue(newPolicy)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		// sanitize-html's defaults
		"address", "article", "aside", "footer", "header", "h1", "h2", "h3", "h4", "h5", "h6",
		"hgroup", "main", "nav", "section", "blockquote", "dd", "div", "dl", "dt", "figcaption",
		"figure", "hr", "li", "main", "ol", "p", "pre", "ul", "a", "abbr", "b", "bdi", "bdo", "br",
		"cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "rb", "rp", "rt", "rtc",
		"ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
		"caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
		// and the email document tags the SDK adds
		"style", "img", "html", "head", "body", "link", "meta", "title",
		// common in email templates
		"center", "font",
	)
	p.AllowAttrs(
		"style", "class", "id", "title", "dir", "lang", "align", "valign", "bgcolor", "background",
		"border", "cellpadding", "cellspacing", "width", "height", "color", "face", "size",
		"colspan", "rowspan", "scope", "headers", "role", "name", "content", "charset",
		"http-equiv", "type", "media", "rel", "target", "hreflang", "datetime", "cite",
		"alt", "loading", "srcset", "sizes", "crossorigin", "usemap", "ismap", "xmlns",
		"start", "reversed", "span", "summary", "abbr",
	).Globally()
	p.AllowAttrs("href").OnElements("a", "link")
	p.AllowAttrs("src").OnElements("img")
	p.AllowDataAttributes()
	p.AllowURLSchemes("http", "https", "mailto", "tel", "cid", "data")
	p.AllowRelativeURLs(true)
	p.AllowUnsafe(true) // keep <style> contents; scripts are still removed
	p.SkipElementsContent("script", "noscript", "iframe", "object", "embed")
	return p
}

var (
	doctype = regexp.MustCompile(`(?i)^\s*<!doctype[^>]*>`)
	// voidTag matches void elements as bluemonday writes them ("<br>"),
	// to be closed the way sanitize-html writes them ("<br />").
	voidTag = regexp.MustCompile(`<(img|br|hr|area|base|basefont|input|link|meta)(\s[^<>]*?)?\s*/?>`)
)

// String sanitises one string. Text without markup characters is returned
// unchanged.
func String(s string) string {
	if !strings.ContainsAny(s, "<>&") {
		return s
	}
	prefix := doctype.FindString(s)
	return prefix + voidTag.ReplaceAllString(policy().Sanitize(s[len(prefix):]), "<$1$2 />")
}

// Value sanitises every string inside an ordered JSON value, in place.
func Value(v any) any {
	switch t := v.(type) {
	case string:
		return String(t)
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
