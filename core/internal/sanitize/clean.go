package sanitize

import (
	"bytes"
	"strings"
	"sync"

	"golang.org/x/net/html"
)

// cleaner holds what one sanitising pass needs, kept between passes.
type cleaner struct {
	in  strings.Reader
	tok html.Tokenizer
	// fresh is a tokenizer that has read nothing from in yet; tok is reset
	// to it for each pass, keeping its buffer.
	fresh html.Tokenizer
	// src, toks, attrs and simple hold simple markup and its tokens
	// (see lexSimple).
	src    []byte
	toks   []token
	attrs  []attr
	simple replay
	out    []byte
	// recent is the name of the most recent start tag, until its end tag.
	recent []byte
	// dropped holds the names of kept elements whose start tag was dropped
	// for want of attributes: the next end tag of the name on top goes too.
	dropped []string
	// skip is set while inside an element whose content is dropped; depth
	// counts such start tags less their end tags, and skip ends when it
	// comes back to zero.
	skip  bool
	depth int64
}

// maxKept is the largest output buffer kept for the next pass.
const maxKept = 64 << 10

var cleaners = sync.Pool{New: func() any {
	c := new(cleaner)
	c.fresh = *html.NewTokenizer(&c.in)
	return c
}}

// clean sanitises s, which holds markup: a leading doctype is kept, the
// rest goes through the policy.
func clean(s string) string {
	n := doctypeLen(s)
	if strings.TrimSpace(s[n:]) == "" {
		return s
	}
	c := cleaners.Get().(*cleaner)
	c.out = append(c.out[:0], s[:n]...)
	c.run(s[n:])
	out := string(c.out)
	c.release()
	cleaners.Put(c)
	return out
}

// release lets go of the input and of buffers grown past maxKept, so that
// a pooled cleaner holds little memory.
func (c *cleaner) release() {
	if c.in.Size() > 0 { // the tokenizer read it
		c.in.Reset("")
		c.tok = c.fresh
	}
	if cap(c.out) > maxKept {
		c.out = nil
	}
	if cap(c.recent) > maxKept {
		c.recent = nil
	}
	if cap(c.dropped) > maxKept/16 {
		c.dropped = nil
	}
	c.simple = replay{}
	clear(c.toks)
	clear(c.attrs)
	if cap(c.src) > maxKept {
		c.src, c.toks, c.attrs = nil, nil, nil
	}
}

// run appends the sanitised form of s to c.out.
func (c *cleaner) run(s string) {
	c.recent = c.recent[:0]
	c.dropped = c.dropped[:0]
	c.skip, c.depth = false, 0
	c.src = append(c.src[:0], s...)
	var simple bool
	if c.toks, c.attrs, simple = lexSimple(c.src, c.toks[:0], c.attrs[:0]); simple {
		c.simple.start(c.toks, c.attrs)
		c.walk(&c.simple)
		return
	}
	c.in.Reset(s)
	c.tok = c.fresh
	c.walk(&c.tok)
}

// walk writes what the policy keeps of the tokens of z.
func (c *cleaner) walk(z tokens) {
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken:
			c.startTag(z)
		case html.SelfClosingTagToken:
			name, more := z.TagName()
			if el, ok := lookup(name); ok {
				c.tag(z, name, el, more, true)
			}
		case html.EndTagToken:
			c.endTag(z)
		case html.TextToken:
			c.text(z)
		}
		// Comments and doctypes are dropped.
	}
}

func (c *cleaner) startTag(z tokens) {
	name, more := z.TagName()
	c.recent = append(c.recent[:0], name...)
	el, ok := lookup(name)
	if !ok {
		if skipsContent(name) {
			c.skip = true
			c.depth++
		}
		return
	}
	if !c.tag(z, name, el, more, false) {
		c.dropped = append(c.dropped, string(name))
	}
}

func (c *cleaner) endTag(z tokens) {
	name, _ := z.TagName()
	if string(c.recent) == string(name) {
		c.recent = c.recent[:0]
	}
	if n := len(c.dropped); n > 0 && c.dropped[n-1] == string(name) {
		c.dropped = c.dropped[:n-1]
		return
	}
	if _, ok := lookup(name); !ok {
		if skipsContent(name) {
			c.depth--
			if c.depth == 0 {
				c.skip = false
			}
		}
		return
	}
	if !c.skip {
		c.out = append(c.out, "</"...)
		c.out = append(c.out, name...)
		c.out = append(c.out, '>')
	}
}

func (c *cleaner) text(z tokens) {
	if c.skip {
		return
	}
	if string(c.recent) == "style" {
		// Written as it came, so that CSS keeps working. (The text of a
		// script never gets here: its start tag starts dropped content.)
		c.out = appendVoidClosed(c.out, z.Text())
		return
	}
	c.out = appendEscaped(c.out, z.Text())
}

// tag writes the tag of a kept element with the attributes the policy
// keeps, unless inside dropped content. It reports false when the tag is
// dropped because no attribute stayed and the element needs one.
func (c *cleaner) tag(z tokens, name []byte, el element, more, selfClosing bool) bool {
	mark := len(c.out)
	c.out = append(c.out, '<')
	c.out = append(c.out, name...)
	kept, ltInKey := 0, false
	for more {
		var key, val []byte
		key, val, more = z.TagAttr()
		if !el.keeps(key) {
			continue
		}
		c.out = append(c.out, ' ')
		c.out = append(c.out, key...)
		c.out = append(c.out, `="`...)
		if el.url != "" && string(key) == el.url {
			u, ok := checkURL(string(val))
			if !ok {
				c.out = c.out[:len(c.out)-len(key)-3]
				continue
			}
			c.out = appendEscaped(c.out, u)
		} else {
			c.out = appendEscaped(c.out, val)
		}
		c.out = append(c.out, '"')
		kept++
		ltInKey = ltInKey || bytes.IndexByte(key, '<') >= 0
	}
	switch {
	case kept == 0 && !el.bare:
		c.out = c.out[:mark]
		return false
	case c.skip:
		c.out = c.out[:mark]
	case el.void && !ltInKey:
		// Closed the way sanitize-html closes void elements; a tag with a
		// '<' in an attribute name has always been left as it is.
		c.out = append(c.out, " />"...)
	case selfClosing:
		c.out = append(c.out, "/>"...)
	default:
		c.out = append(c.out, '>')
	}
	return true
}
