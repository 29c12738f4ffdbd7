package sanitize

import "golang.org/x/net/html"

// Most markup in outputs is plain: tags with lower-case names and
// double-quoted attributes, text without entities. For such markup the
// tokens golang.org/x/net/html would read are found here by a plain scan
// of the bytes, and the cleaner replays them instead of running the
// tokenizer. Anything else (entities, carriage returns, NUL, comments,
// doctypes, other spellings of tags, '<' inside raw text) goes to the
// tokenizer, as everything did before.

// tokens is what the cleaner reads tokens from: *html.Tokenizer, or a
// replay of tokens lexSimple found.
type tokens interface {
	Next() html.TokenType
	TagName() (name []byte, hasAttr bool)
	TagAttr() (key, val []byte, moreAttr bool)
	Text() []byte
}

// token is one token found by lexSimple: a tag's name or a text, and the
// tag's attributes, attrs[from:to].
type token struct {
	tt       html.TokenType
	data     []byte
	from, to int
}

type attr struct {
	key, val []byte
}

// rawText reports whether the tokenizer reads what follows a start tag of
// this name as text up to the matching end tag.
func rawText(name []byte) bool {
	switch string(name) {
	case "iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp":
		return true
	}
	return false
}

// lexSimple appends to toks and attrs the tokens the tokenizer would read
// from src, when src is simple markup: no '&', carriage return or NUL
// anywhere; every '<' starting "<name>", "</name>" or a start tag with
// attributes written ` key="value"`, names and keys in lower case; and
// the text of a raw text element (script, style, ...) without '<', up to
// its end tag or the end of src. It reports false for anything else.
func lexSimple(src []byte, toks []token, attrs []attr) ([]token, []attr, bool) {
	for i := 0; i < len(src); {
		if src[i] != '<' {
			start := i
			for i < len(src) && src[i] != '<' {
				if c := src[i]; c == '&' || c == '\r' || c == 0 {
					return toks, attrs, false
				}
				i++
			}
			toks = append(toks, token{tt: html.TextToken, data: src[start:i]})
			continue
		}
		end := i+1 < len(src) && src[i+1] == '/'
		var t token
		var ok bool
		if end {
			t, i, ok = lexEndTag(src, i+2)
		} else {
			t, attrs, i, ok = lexStartTag(src, i+1, attrs)
		}
		if !ok {
			return toks, attrs, false
		}
		toks = append(toks, t)
		if !end && rawText(t.data) {
			if string(t.data) == "plaintext" {
				return toks, attrs, false
			}
			var text token
			if text, i, ok = lexRawText(src, i, t.data); !ok {
				return toks, attrs, false
			}
			if len(text.data) > 0 {
				toks = append(toks, text)
			}
		}
	}
	return toks, attrs, true
}

// lexName reads a lower-case tag name or attribute key from src[i:]: a
// letter, then letters, digits and (for keys) hyphens.
func lexName(src []byte, i int, hyphens bool) (name []byte, next int) {
	start := i
	for i < len(src) {
		c := src[i]
		if !('a' <= c && c <= 'z' || i > start && ('0' <= c && c <= '9' || hyphens && c == '-')) {
			break
		}
		i++
	}
	return src[start:i], i
}

// lexEndTag reads "name>" from src[i:], the rest of an end tag.
func lexEndTag(src []byte, i int) (token, int, bool) {
	name, i := lexName(src, i, false)
	if len(name) == 0 || i >= len(src) || src[i] != '>' {
		return token{}, i, false
	}
	return token{tt: html.EndTagToken, data: name}, i + 1, true
}

// repeated reports whether one of attrs has key.
func repeated(attrs []attr, key []byte) bool {
	for _, a := range attrs {
		if string(a.key) == string(key) {
			return true
		}
	}
	return false
}

// lexStartTag reads `name key="value" ...>` from src[i:], the rest of a
// start tag, and appends its attributes to attrs.
func lexStartTag(src []byte, i int, attrs []attr) (token, []attr, int, bool) {
	name, i := lexName(src, i, false)
	t := token{tt: html.StartTagToken, data: name, from: len(attrs)}
	if len(name) == 0 {
		return t, attrs, i, false
	}
	for i < len(src) && src[i] == ' ' {
		var key []byte
		key, i = lexName(src, i+1, true)
		if len(key) == 0 || i+1 >= len(src) || src[i] != '=' || src[i+1] != '"' {
			return t, attrs, i, false
		}
		start := i + 2
		for i = start; i < len(src) && src[i] != '"'; i++ {
			if c := src[i]; c == '&' || c == '\r' || c == 0 {
				return t, attrs, i, false
			}
		}
		if i >= len(src) || repeated(attrs[t.from:], key) {
			return t, attrs, i, false // the tokenizer keeps the first of repeated keys
		}
		attrs = append(attrs, attr{key, src[start:i]})
		i++ // closing quote
	}
	if i >= len(src) || src[i] != '>' {
		return t, attrs, i, false
	}
	t.to = len(attrs)
	return t, attrs, i + 1, true
}

// lexRawText reads the text of the raw text element name from src[i:]:
// everything up to the next '<', which must start its end tag, or up to
// the end of src.
func lexRawText(src []byte, i int, name []byte) (token, int, bool) {
	start := i
	for i < len(src) && src[i] != '<' {
		if c := src[i]; c == '&' || c == '\r' || c == 0 {
			return token{}, i, false
		}
		i++
	}
	text := token{tt: html.TextToken, data: src[start:i]}
	if i == len(src) {
		return text, i, true
	}
	if i+1 >= len(src) || src[i+1] != '/' {
		return text, i, false
	}
	end, _, ok := lexEndTag(src, i+2)
	return text, i, ok && string(end.data) == string(name)
}

// replay gives back the tokens of lexSimple as the tokenizer would.
type replay struct {
	toks  []token
	attrs []attr
	i     int // the current token
	next  int // the next attribute of the current tag
}

func (r *replay) start(toks []token, attrs []attr) {
	*r = replay{toks: toks, attrs: attrs, i: -1}
}

func (r *replay) Next() html.TokenType {
	if r.i+1 >= len(r.toks) {
		r.i = len(r.toks)
		return html.ErrorToken
	}
	r.i++
	r.next = r.toks[r.i].from
	return r.toks[r.i].tt
}

func (r *replay) TagName() ([]byte, bool) {
	t := &r.toks[r.i]
	return t.data, r.next < t.to
}

func (r *replay) TagAttr() ([]byte, []byte, bool) {
	t := &r.toks[r.i]
	if r.next >= t.to {
		return nil, nil, false
	}
	a := r.attrs[r.next]
	r.next++
	return a.key, a.val, r.next < t.to
}

func (r *replay) Text() []byte { return r.toks[r.i].data }
