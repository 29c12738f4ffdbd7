// Package jsonx holds JSON values that keep the order of object keys, with a
// strict decoder and an encoder that writes what JavaScript's JSON.stringify
// writes for the same value.
//
// A value is one of: nil, bool, json.Number, string, []any or *Object.
package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// MaxDepth is how deeply arrays and objects may nest in a decoded document.
const MaxDepth = 128

// Member is one key and its value inside an Object.
type Member struct {
	Key   string
	Value any
}

// Object is a JSON object whose keys keep the order they were added in.
type Object struct {
	Members []Member
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{} }

// NewObjectSize returns an empty object with room for n members. A small
// object comes in one allocation together with its members, which then
// live as long as the object does.
func NewObjectSize(n int) *Object {
	switch {
	case n == 0:
		return &Object{}
	case n <= 2:
		return newObjectBlock(func(m *[2]Member) []Member { return m[:0] })
	case n <= 4:
		return newObjectBlock(func(m *[4]Member) []Member { return m[:0] })
	case n <= 8:
		return newObjectBlock(func(m *[8]Member) []Member { return m[:0] })
	}
	return &Object{Members: make([]Member, 0, n)}
}

// newObjectBlock allocates an object together with an array A of members,
// which room returns as an empty slice.
func newObjectBlock[A any](room func(*A) []Member) *Object {
	b := new(struct {
		o Object
		m A
	})
	b.o.Members = room(&b.m)
	return &b.o
}

// Get returns the value of key and whether it is present.
func (o *Object) Get(key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	for i := range o.Members {
		if o.Members[i].Key == key {
			return o.Members[i].Value, true
		}
	}
	return nil, false
}

// Set replaces the value of key in place, or appends key when absent.
func (o *Object) Set(key string, v any) {
	for i := range o.Members {
		if o.Members[i].Key == key {
			o.Members[i].Value = v
			return
		}
	}
	o.Members = append(o.Members, Member{key, v})
}

// Len is the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.Members)
}

// MarshalJSON writes the object with its keys in order.
func (o *Object) MarshalJSON() ([]byte, error) { return Append(nil, o), nil }

// Clone returns a deep copy of v.
func Clone(v any) any {
	switch t := v.(type) {
	case *Object:
		c := NewObjectSize(len(t.Members))
		for _, m := range t.Members {
			c.Members = append(c.Members, Member{m.Key, Clone(m.Value)})
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = Clone(e)
		}
		return c
	default:
		return v
	}
}

// Truthy is JavaScript's truthiness of a value: false for null, false, ""
// and numbers equal to zero.
func Truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case json.Number:
		f, _ := t.Float64() // ±Inf when too large, as JSON.parse reads it
		return f != 0
	default:
		return true
	}
}

// SyntaxError reports where a document stopped being valid JSON.
type SyntaxError struct {
	Offset int
	msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.msg)
}

// ErrTooDeep is returned for documents nested deeper than MaxDepth.
var ErrTooDeep = errors.New("JSON nested too deeply")

// Decode parses one JSON document. Numbers become json.Number, objects
// *Object. Duplicate keys keep their first position and their last value,
// as JSON.parse does.
func Decode(data []byte) (any, error) { return decodeAt(data, 0) }

// decodeAt decodes a document found depth arrays and objects deep in
// another, so that MaxDepth counts from the outer document's top.
func decodeAt(data []byte, depth int) (any, error) {
	sc := scratchPool.Get().(*scratch)
	defer sc.put()
	d := decoder{data: data, scratch: sc}
	if len(data) <= shareTextUpTo {
		d.text = string(data)
		d.carve = true
		d.objectChunk = min(bytes.Count(data, []byte("{")), maxObjectChunk)
		d.memberChunk = min(2*bytes.Count(data, []byte(":")), maxMemberChunk)
	}
	d.skipSpace()
	v, err := d.value(depth)
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return nil, d.fail("unexpected data after the value")
	}
	return v, nil
}

// shareTextUpTo is the size up to which a document is copied once into a
// string whose substrings become the decoded strings, keys and numbers: one
// allocation instead of one each. Its objects, their members and its
// arrays are carved from chunks in the same spirit (see decoder.newObject).
// A value kept from such a document keeps the whole text and its chunks
// alive, so larger documents allocate each value on its own.
const shareTextUpTo = 64 << 10

// The chunks objects and members are carved from are sized from the
// document, which holds at most as many objects as '{' bytes and members
// as ':' bytes (fewer when strings hold some), each object with room for
// up to twice its members, and never larger than maxObjectChunk and
// maxMemberChunk. Arrays of up to itemChunk elements share chunks of that
// size.
const (
	maxObjectChunk = 32
	maxMemberChunk = 64
	itemChunk      = 16
)

type decoder struct {
	data  []byte
	text  string // data as a string, when it is shared; see shareTextUpTo
	pos   int
	carve bool // objects and arrays are carved from chunks
	objs  []Object
	mems  []Member
	elems []any
	// objectChunk and memberChunk are the sizes of new chunks.
	objectChunk, memberChunk int
	*scratch
}

// newObject returns an object holding members, a copy of them. It has room
// for a few more members, as NewObjectSize gives.
func (d *decoder) newObject(members []Member) *Object {
	if !d.carve {
		o := NewObjectSize(len(members))
		o.Members = append(o.Members, members...)
		return o
	}
	if len(d.objs) == cap(d.objs) {
		d.objs = make([]Object, 0, max(d.objectChunk, 1))
	}
	d.objs = append(d.objs, Object{})
	o := &d.objs[len(d.objs)-1]
	if n := len(members); n > 0 {
		room := roomFor(n)
		if cap(d.mems)-len(d.mems) < room {
			d.mems = make([]Member, 0, max(d.memberChunk, room))
		}
		start := len(d.mems)
		d.mems = d.mems[:start+room]
		// Capped at its room, so that growing it further copies it out
		// instead of writing over the next object's members.
		o.Members = append(d.mems[start:start:start+room], members...)
	}
	return o
}

// roomFor is the number of members NewObjectSize makes room for.
func roomFor(n int) int {
	switch {
	case n <= 2:
		return 2
	case n <= 4:
		return 4
	case n <= 8:
		return 8
	}
	return n
}

// newArray returns a copy of items, exactly as long.
func (d *decoder) newArray(items []any) []any {
	if !d.carve || len(items) > itemChunk {
		return append([]any(nil), items...)
	}
	if cap(d.elems)-len(d.elems) < len(items) {
		d.elems = make([]any, 0, itemChunk)
	}
	start := len(d.elems)
	d.elems = append(d.elems, items...)
	return d.elems[start:len(d.elems):len(d.elems)]
}

// scratch holds the members of the objects and the elements of the arrays
// a decoder is reading, innermost last, so that each object or array is
// allocated once, at its end, at its size. Decoders borrow it from
// scratchPool; it is empty between documents.
type scratch struct {
	members []Member
	items   []any
	// used is how many members and items the document has used at most:
	// dropping them does not clear them, put does, once.
	usedMembers, usedItems int
}

// scratchKeep is the size above which a scratch, grown by a large
// document, is dropped rather than kept for the next.
const scratchKeep = 1024

var scratchPool = sync.Pool{New: func() any { return &scratch{members: make([]Member, 0, 16), items: make([]any, 0, 16)} }}

func (sc *scratch) put() {
	if cap(sc.members) <= scratchKeep && cap(sc.items) <= scratchKeep {
		clear(sc.members[:sc.usedMembers])
		clear(sc.items[:sc.usedItems])
		sc.usedMembers, sc.usedItems = 0, 0
		scratchPool.Put(sc)
	}
}

// slice returns data[i:j] as a string.
func (d *decoder) slice(i, j int) string {
	if d.text != "" {
		return d.text[i:j]
	}
	return string(d.data[i:j])
}

func (d *decoder) fail(msg string) error { return &SyntaxError{Offset: d.pos, msg: msg} }

func (d *decoder) skipSpace() {
	data, i := d.data, d.pos
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			d.pos = i
			return
		}
	}
	d.pos = i
}

func (d *decoder) value(depth int) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		if depth >= MaxDepth {
			return nil, ErrTooDeep
		}
		return d.object(depth + 1)
	case c == '[':
		if depth >= MaxDepth {
			return nil, ErrTooDeep
		}
		return d.array(depth + 1)
	case c == '"':
		s, err := d.string()
		if err != nil {
			return nil, err
		}
		return s, nil
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	default:
		return nil, d.fail(fmt.Sprintf("unexpected character %q", c))
	}
}

func (d *decoder) literal(word string) error {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return d.fail("invalid literal")
	}
	d.pos += len(word)
	return nil
}

func (d *decoder) object(depth int) (any, error) {
	d.pos++ // {
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return d.newObject(nil), nil
	}
	start := len(d.members)
	defer d.popMembers(start)
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.fail("expected a string key")
		}
		k, err := d.string()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.fail("expected ':'")
		}
		d.pos++
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.members = append(d.members, Member{k, v})
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.fail("unexpected end of object")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			o := d.newObject(d.members[start:])
			dedupe(o)
			return o, nil
		default:
			return nil, d.fail("expected ',' or '}'")
		}
	}
}

// emptyArray is the value of every empty array decoded: it has no element
// to change, and growing it makes a new array.
var emptyArray any = []any{}

// popMembers drops the members read since start.
func (d *decoder) popMembers(start int) {
	d.usedMembers = max(d.usedMembers, len(d.members))
	d.members = d.members[:start]
}

// popItems drops the elements read since start.
func (d *decoder) popItems(start int) {
	d.usedItems = max(d.usedItems, len(d.items))
	d.items = d.items[:start]
}

// dedupeLinear is the size up to which duplicate keys are found by
// comparing pairs; larger objects use a map, so decoding stays linear.
const dedupeLinear = 16

// dedupe keeps the first position and the last value of a repeated key, as
// JSON.parse does.
func dedupe(o *Object) {
	m := o.Members
	if len(m) <= dedupeLinear {
		for i := 1; i < len(m); i++ {
			for j := 0; j < i; j++ {
				if m[j].Key == m[i].Key {
					m[j].Value = m[i].Value
					o.Members = append(m[:i:i], m[i+1:]...)
					dedupe(o)
					return
				}
			}
		}
		return
	}
	first := make(map[string]int, len(m))
	out := m[:0]
	for _, mem := range m {
		if i, ok := first[mem.Key]; ok {
			out[i].Value = mem.Value
			continue
		}
		first[mem.Key] = len(out)
		out = append(out, mem)
	}
	for i := len(out); i < len(m); i++ {
		m[i] = Member{}
	}
	o.Members = out
}

func (d *decoder) array(depth int) (any, error) {
	d.pos++ // [
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return emptyArray, nil
	}
	start := len(d.items)
	defer d.popItems(start)
	for {
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.items = append(d.items, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.fail("unexpected end of array")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return d.newArray(d.items[start:]), nil
		default:
			return nil, d.fail("expected ',' or ']'")
		}
	}
}

// plainByte marks the bytes a JSON string holds as they are, in its text
// as in its value: printable ASCII other than '"' and '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (d *decoder) string() (string, error) {
	start := d.pos
	d.pos++ // opening quote
	simple := true
	for d.pos < len(d.data) {
		// The run of plain bytes is scanned with a local index, which
		// stays in a register where d.pos would be stored at every byte.
		data, i := d.data, d.pos
		for i < len(data) && plainByte[data[i]] {
			i++
		}
		d.pos = i
		if i == len(data) {
			break
		}
		c := data[i]
		switch {
		case c == '"':
			d.pos++
			if simple {
				return d.slice(start+1, d.pos-1), nil
			}
			var s string
			if err := json.Unmarshal(d.data[start:d.pos], &s); err != nil {
				d.pos = start
				return "", d.fail("invalid string")
			}
			return s, nil
		case c == '\\':
			simple = false
			d.pos += 2
		case c < 0x20:
			return "", d.fail("control character in string")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size == 1 {
				simple = false // json.Unmarshal replaces it with U+FFFD
			}
			d.pos += size
		default:
			d.pos++
		}
	}
	return "", d.fail("unterminated string")
}

func (d *decoder) number() (any, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if d.pos < len(d.data) && d.data[d.pos] == '0' {
		d.pos++
	} else if digits() == 0 {
		return nil, d.fail("invalid number")
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if digits() == 0 {
			return nil, d.fail("invalid number")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.fail("invalid number")
		}
	}
	return json.Number(d.slice(start, d.pos)), nil
}

// Marshal returns the JSON text of v as JSON.stringify would write it.
func Marshal(v any) []byte { return Append(nil, v) }

// Append appends the JSON text of v to dst: no insignificant space, object
// keys in order, and strings escaped only where JSON requires it (no HTML
// escaping). Values that are not ordered values are written by
// encoding/json.
func Append(dst []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, t)
	case string:
		return AppendString(dst, t)
	case json.Number:
		if t == "" {
			return append(dst, '0')
		}
		return append(dst, t...)
	case float64:
		return appendFloat(dst, t)
	case int:
		return strconv.AppendInt(dst, int64(t), 10)
	case int64:
		return strconv.AppendInt(dst, t, 10)
	case *Object:
		if t == nil {
			return append(dst, "null"...)
		}
		dst = append(dst, '{')
		for i, m := range t.Members {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, m.Key)
			dst = append(dst, ':')
			dst = Append(dst, m.Value)
		}
		return append(dst, '}')
	case []any:
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = Append(dst, e)
		}
		return append(dst, ']')
	case json.RawMessage:
		return append(dst, t...)
	default:
		return appendGo(dst, t)
	}
}

// appendGo writes any other Go value with encoding/json, without its HTML
// escaping, so that text reads as JSON.stringify writes it.
func appendGo(dst []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return append(dst, "null"...)
	}
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	return appendFloat64(dst, f, 64)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string the way JSON.stringify writes it:
// only '"', '\\' and control characters are escaped; invalid UTF-8 becomes
// U+FFFD.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainByte[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\ufffd"...)
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
