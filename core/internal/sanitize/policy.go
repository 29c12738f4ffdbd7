package sanitize

import "bytes"

// The policy, as tables: which elements and attributes stay. Everything not
// listed here is dropped.

// element is what the policy says about an element it keeps.
type element struct {
	// bare elements stay when none of their attributes does; the others are
	// dropped then, start tag and matching end tag, keeping their content.
	bare bool
	// own is the attribute allowed on this element only ("href", "src").
	own string
	// url is the attribute whose value must be an allowed URL.
	url string
	// void elements are written "<br />".
	void bool
}

// lookup returns the policy for an element by its lower-case name, and
// false for the elements it drops.
func lookup(name []byte) (element, bool) {
	switch string(name) {
	case "address", "article", "aside", "footer", "header", "h1", "h2", "h3", "h4", "h5", "h6",
		"hgroup", "nav", "section", "dd", "div", "dl", "dt", "figcaption", "figure", "li", "ol",
		"p", "pre", "ul", "abbr", "b", "bdi", "cite", "code", "dfn", "em", "i", "kbd", "mark",
		"rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
		"var", "wbr", "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th",
		"thead", "tr", "style", "html", "head", "body", "title", "center":
		return element{bare: true}, true
	case "main", "bdo", "data", "rb", "rtc", "font":
		return element{}, true
	case "blockquote", "q":
		return element{bare: true, url: "cite"}, true
	case "br", "hr":
		return element{bare: true, void: true}, true
	case "meta":
		return element{void: true}, true
	case "a":
		return element{own: "href", url: "href"}, true
	case "link":
		return element{own: "href", url: "href", void: true}, true
	case "img":
		return element{own: "src", url: "src", void: true}, true
	}
	return element{}, false
}

// keeps reports whether the policy keeps the attribute key on el.
func (el element) keeps(key []byte) bool {
	return dataAttr(key) || el.own != "" && string(key) == el.own || globalAttr(key)
}

// skipsContent reports whether the content of a dropped element goes too.
// style and title are kept elements, listed so that their text would go
// with them if they were not.
func skipsContent(name []byte) bool {
	switch string(name) {
	case "script", "noscript", "iframe", "object", "embed",
		"frame", "frameset", "noembed", "noframes", "nostyle", "style", "title":
		return true
	}
	return false
}

// globalAttr reports whether an attribute stays on every kept element.
func globalAttr(key []byte) bool {
	switch string(key) {
	case "style", "class", "id", "title", "dir", "lang", "align", "valign", "bgcolor",
		"background", "border", "cellpadding", "cellspacing", "width", "height", "color",
		"face", "size", "colspan", "rowspan", "scope", "headers", "role", "name", "content",
		"charset", "http-equiv", "type", "media", "rel", "target", "hreflang", "datetime",
		"cite", "alt", "loading", "srcset", "sizes", "crossorigin", "usemap", "ismap", "xmlns",
		"start", "reversed", "span", "summary", "abbr":
		return true
	}
	return false
}

// dataAttr reports whether key is a custom data attribute the policy keeps:
// "data-" and at least one more byte, where the part up to any further
// "data-" neither starts "xml" with more after it nor holds an upper-case
// ASCII letter or a semicolon.
func dataAttr(key []byte) bool {
	const prefix = "data-"
	if len(key) <= len(prefix) || string(key[:len(prefix)]) != prefix {
		return false
	}
	part := key[len(prefix):]
	if i := bytes.Index(part, []byte(prefix)); i >= 0 {
		part = part[:i]
	}
	if len(part) > len("xml") && string(part[:len("xml")]) == "xml" {
		return false
	}
	for _, c := range part {
		if c == ';' || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}
