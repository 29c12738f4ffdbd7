package jsonx

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// A plan is what encoding/json does with the values of one Go type, worked
// out once per type: the plans of the types inside it, the methods it calls
// instead of looking at the value, and for a struct the fields it writes and
// reads. FromGo and ToGo follow plans; plans never change once published.
type plan struct {
	t    reflect.Type
	kind reflect.Kind
	elem *plan // pointer target, slice or array element, map value

	fields []field
	byName map[string]*field // decoding: exact key
	byFold map[string]*field // decoding: key folded by foldKey, first field wins

	marshal   uint8 // encoding: method bits (see below)
	base64    bool  // a slice of bytes, written as a base64 string
	keyEnc    uint8 // encoding a map: how keys become strings (key* below)
	unmarshal uint8 // decoding: method bits of *T for a named non-pointer T, or of T for a pointer T
	keyDec    uint8 // decoding a map: how strings become keys (key* below)
	floats    bool  // holds floating-point numbers inline, so IsZero ignores their sign
}

// Method bits. Encoding: encoding/json calls the methods of *T on an
// addressable T, and those of T on any T.
const (
	mJSON     = 1 << iota // MarshalJSON, or UnmarshalJSON
	mText                 // MarshalText, or UnmarshalText
	mAddrJSON             // MarshalJSON of *T
	mAddrText             // MarshalText of *T
)

// How map keys are converted. keyNone is a key type encoding/json refuses.
const (
	keyNone uint8 = iota
	keyString
	keyInt
	keyUint
	keyText // MarshalText, or UnmarshalText of *K
	keyJSON // decoding only: UnmarshalJSON of *K, given the quoted key
)

// field is one struct field as encoding/json sees it.
type field struct {
	name      string
	index     []int // path through embedded structs
	plan      *plan // of the field's declared type
	omitEmpty bool
	omitZero  bool
	zeroer    uint8 // for omitzero: which IsZero method decides (zero* below)
	quoted    bool  // the ",string" option, where it applies
	tagged    bool
}

// How omitzero decides, after the IsZero method encoding/json would use.
const (
	zeroValue  uint8 = iota // reflect.Value.IsZero
	zeroIface               // an interface type with IsZero
	zeroPtr                 // a pointer type with IsZero
	zeroMethod              // IsZero of the type
	zeroAddr                // IsZero of *T
)

var (
	marshalerType       = reflect.TypeFor[json.Marshaler]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	zeroerType          = reflect.TypeFor[interface{ IsZero() bool }]()
	numberType          = reflect.TypeFor[json.Number]()
)

var (
	plans  sync.Map // reflect.Type → *plan
	planMu sync.Mutex
	// hot holds the plans of the first hotPlans types planFor was asked
	// for: the few types a bridge converts on every request, found by
	// comparing the type itself, which costs less than sync.Map's hashing.
	// It is replaced, never changed, under planMu.
	hot atomic.Pointer[[]hotPlan]
)

const hotPlans = 32

type hotPlan struct {
	t reflect.Type
	p *plan
}

// planFor returns the plan of t, making it and the plans it refers to on
// first use.
func planFor(t reflect.Type) *plan {
	if h := hot.Load(); h != nil {
		for _, e := range *h {
			if e.t == t {
				return e.p
			}
		}
	}
	if p, ok := plans.Load(t); ok {
		keepHot(t, p.(*plan))
		return p.(*plan)
	}
	planMu.Lock()
	made := map[reflect.Type]*plan{}
	p := makePlan(t, made)
	for t, p := range made {
		plans.Store(t, p)
	}
	planMu.Unlock()
	keepHot(t, p)
	return p
}

// keepHot adds t's plan to hot while there is room.
func keepHot(t reflect.Type, p *plan) {
	if h := hot.Load(); h != nil && len(*h) >= hotPlans {
		return
	}
	planMu.Lock()
	defer planMu.Unlock()
	var old []hotPlan
	if h := hot.Load(); h != nil {
		old = *h
	}
	if len(old) >= hotPlans {
		return
	}
	for _, e := range old {
		if e.t == t {
			return
		}
	}
	h := append(old[:len(old):len(old)], hotPlan{t, p})
	hot.Store(&h)
}

// makePlan builds the plan of t; made holds the plans under construction,
// so that recursive types refer to themselves.
func makePlan(t reflect.Type, made map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p := made[t]; p != nil {
		return p
	}
	p := &plan{t: t, kind: t.Kind(), floats: holdsFloats(t)}
	made[t] = p
	pt := reflect.PointerTo(t)
	if p.kind != reflect.Pointer {
		p.marshal |= bit(pt.Implements(marshalerType), mAddrJSON) | bit(pt.Implements(textMarshalerType), mAddrText)
		if t.Name() != "" {
			p.unmarshal = bit(pt.Implements(unmarshalerType), mJSON) | bit(pt.Implements(textUnmarshalerType), mText)
		}
	} else {
		p.unmarshal = bit(t.Implements(unmarshalerType), mJSON) | bit(t.Implements(textUnmarshalerType), mText)
	}
	p.marshal |= bit(t.Implements(marshalerType), mJSON) | bit(t.Implements(textMarshalerType), mText)

	switch p.kind {
	case reflect.Pointer, reflect.Array:
		p.elem = makePlan(t.Elem(), made)
	case reflect.Slice:
		p.elem = makePlan(t.Elem(), made)
		if e := t.Elem(); e.Kind() == reflect.Uint8 {
			pe := reflect.PointerTo(e)
			p.base64 = !pe.Implements(marshalerType) && !pe.Implements(textMarshalerType)
		}
	case reflect.Map:
		p.elem = makePlan(t.Elem(), made)
		k := t.Key()
		pk := reflect.PointerTo(k)
		p.keyEnc = keyKind(k)
		if p.keyEnc != keyString && k.Implements(textMarshalerType) {
			p.keyEnc = keyText
		}
		p.keyDec = keyKind(k)
		if pk.Implements(textUnmarshalerType) {
			p.keyDec = keyText
			if pk.Implements(unmarshalerType) {
				p.keyDec = keyJSON
			}
		}
	case reflect.Struct:
		p.fields = structFields(t)
		p.byName = make(map[string]*field, len(p.fields))
		p.byFold = make(map[string]*field, len(p.fields))
		for i := range p.fields {
			f := &p.fields[i]
			f.plan = makePlan(typeAt(t, f.index), made)
			p.byName[f.name] = f
			folded := string(foldKey(nil, f.name))
			if p.byFold[folded] == nil {
				p.byFold[folded] = f
			}
		}
	}
	return p
}

func bit(ok bool, b uint8) uint8 {
	if ok {
		return b
	}
	return 0
}

// keyKind is how encoding/json converts a map key of kind k.Kind(), before
// looking at methods.
func keyKind(k reflect.Type) uint8 {
	switch k.Kind() {
	case reflect.String:
		return keyString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return keyInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return keyUint
	}
	return keyNone
}

// holdsFloats reports whether t holds floating-point or complex numbers
// directly (not behind pointers).
func holdsFloats(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return t.Len() > 0 && holdsFloats(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsFloats(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// typeAt is the type of the field reached by index from struct type t.
func typeAt(t reflect.Type, index []int) reflect.Type {
	for _, i := range index {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		t = t.Field(i).Type
	}
	return t
}

// structFields lists the fields encoding/json writes and reads for struct
// type t, in the order it writes them. Fields of embedded structs are
// promoted breadth first; of several fields with one name the least nested
// wins, a tagged one before an untagged one at the same depth, and a tie
// leaves the name out altogether.
func structFields(t reflect.Type) []field {
	type embedded struct {
		t     reflect.Type
		index []int
	}
	var found []field
	seen := map[reflect.Type]bool{}
	level := []embedded{{t: t}}
	var times map[reflect.Type]int // how often each struct of this level was embedded
	for len(level) > 0 {
		var next []embedded
		nextTimes := map[reflect.Type]int{}
		for _, e := range level {
			if seen[e.t] {
				continue
			}
			seen[e.t] = true
			for i := range e.t.NumField() {
				sf := e.t.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validName(name) {
					name = ""
				}
				index := append(slices.Clip(e.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					nextTimes[ft]++
					if nextTimes[ft] == 1 {
						next = append(next, embedded{ft, index})
					}
					continue
				}
				f := field{name: name, index: index, tagged: name != ""}
				if name == "" {
					f.name = sf.Name
				}
				f.omitEmpty = hasOption(opts, "omitempty")
				f.omitZero = hasOption(opts, "omitzero")
				if f.omitZero {
					f.zeroer = zeroerOf(sf.Type)
				}
				if hasOption(opts, "string") {
					switch ft.Kind() {
					case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
						reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
						reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
						f.quoted = true
					}
				}
				found = append(found, f)
				if times[e.t] > 1 {
					// The struct is embedded twice at this depth: its fields
					// clash with themselves.
					found = append(found, f)
				}
			}
		}
		level, times = next, nextTimes
	}

	sort.SliceStable(found, func(i, j int) bool {
		a, b := &found[i], &found[j]
		switch {
		case a.name != b.name:
			return a.name < b.name
		case len(a.index) != len(b.index):
			return len(a.index) < len(b.index)
		case a.tagged != b.tagged:
			return a.tagged
		}
		return slices.Compare(a.index, b.index) < 0
	})
	kept := found[:0]
	for i := 0; i < len(found); {
		j := i + 1
		for j < len(found) && found[j].name == found[i].name {
			j++
		}
		if j-i == 1 || len(found[i].index) != len(found[i+1].index) || found[i].tagged != found[i+1].tagged {
			kept = append(kept, found[i])
		}
		i = j
	}
	sort.SliceStable(kept, func(i, j int) bool { return slices.Compare(kept[i].index, kept[j].index) < 0 })
	return slices.Clip(kept)
}

// validName reports whether a json tag's name is used: it must be made of
// letters, digits and punctuation other than quotes, backslash and comma.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", r) {
			return false
		}
	}
	return true
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// zeroerOf says which IsZero method omitzero uses for a field of type t.
func zeroerOf(t reflect.Type) uint8 {
	switch {
	case !t.Implements(zeroerType):
		if reflect.PointerTo(t).Implements(zeroerType) {
			return zeroAddr
		}
		return zeroValue
	case t.Kind() == reflect.Interface:
		return zeroIface
	case t.Kind() == reflect.Pointer:
		return zeroPtr
	}
	return zeroMethod
}

// foldKey appends s folded the way encoding/json compares keys without
// regard to case: ASCII letters in upper case, any other letter as the
// smallest rune of its case-folding orbit.
func foldKey(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		dst = utf8.AppendRune(dst, least)
		i += n
	}
	return dst
}

// lookup finds the field a decoded key sets: the one named exactly so, or
// else the first whose name folds to the same. (Field names are valid
// UTF-8, and folding reads an invalid byte as U+FFFD, so the key need not
// be made valid first.)
func (p *plan) lookup(key string) *field {
	if len(p.fields) <= 8 {
		for i := range p.fields {
			if p.fields[i].name == key {
				return &p.fields[i]
			}
		}
	} else if f := p.byName[key]; f != nil {
		return f
	}
	var buf [64]byte
	return p.byFold[string(foldKey(buf[:0], key))]
}

// validUTF8 returns s with each byte that is not part of valid UTF-8
// replaced by U+FFFD, as a JSON round trip through encoding/json leaves it.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// sameString is validUTF8(s) for x, the string s in an interface: x itself
// when s is valid, so that it is not boxed again.
func sameString(x any, s string) any {
	if utf8.ValidString(s) {
		return x
	}
	return validUTF8(s)
}

// validNumber reports whether s is a JSON number.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
