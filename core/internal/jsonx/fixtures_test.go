package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Types and helpers for the differential tests of FromGo and ToGo against
// encoding/json: every tag form, embedding and its conflicts, and each kind
// of method encoding/json calls.

type inner struct {
	A int    `json:"a"`
	B string `json:"b,omitempty"`
}

// hidden is unexported but embedded: its exported fields are promoted.
type hidden struct {
	C bool
	D float64 `json:"d,string"`
}

type deep struct{ inner }

// Promoted is embedded through an exported pointer, which decoding allocates.
type Promoted struct {
	P1 int    `json:"p1"`
	P2 string `json:"b"` // hidden by inner.B at a shallower depth
}

type clashA struct {
	X int
	Y int `json:"y"`
	W int `json:"Z"` // tagged: wins over clashB.Z at the same depth
}

type clashB struct {
	X string
	Y string
	Z string
}

// celsius writes itself as a string with a value receiver and reads itself
// back with a pointer receiver.
type celsius float64

func (c celsius) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatFloat(float64(c), 'f', 1, 64) + `C"`), nil
}

func (c *celsius) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "C"), 64)
	*c = celsius(f)
	return err
}

// ptrOnly has MarshalJSON on its pointer only: encoding/json calls it on
// addressable values alone.
type ptrOnly struct{ N int }

func (p *ptrOnly) MarshalJSON() ([]byte, error) {
	return []byte(`{"ptr": ` + strconv.Itoa(p.N) + `, "html": "<&>"}`), nil
}

// level is text both ways, and a map key.
type level int

func (l level) MarshalText() ([]byte, error) { return []byte("L" + strconv.Itoa(int(l))), nil }

func (l *level) UnmarshalText(b []byte) error {
	if !bytes.HasPrefix(b, []byte("L")) {
		return errors.New("a level starts with L")
	}
	n, err := strconv.Atoi(string(b[1:]))
	*l = level(n)
	return err
}

// upper is a string-kinded text key: encoding/json writes the string as it
// is but reads keys through UnmarshalText.
type upper string

func (u upper) MarshalText() ([]byte, error) { return []byte(strings.ToUpper(string(u))), nil }

func (u *upper) UnmarshalText(b []byte) error { *u = upper(strings.ToLower(string(b))); return nil }

// broken fails both ways.
type broken struct{ X int }

func (broken) MarshalJSON() ([]byte, error) { return nil, errors.New("broken on purpose") }

func (*broken) UnmarshalJSON([]byte) error { return errors.New("cannot read a broken") }

// badText writes text that is not JSON.
type badText struct{}

func (badText) MarshalJSON() ([]byte, error) { return []byte(`{"a":`), nil }

// sameKey writes every key as the same text.
type sameKey int

func (sameKey) MarshalText() ([]byte, error) { return []byte("k"), nil }

// jsonKey reads map keys with UnmarshalJSON, given the quoted key.
type jsonKey string

func (k *jsonKey) UnmarshalJSON(b []byte) error { *k = jsonKey("json:" + string(b)); return nil }

func (k *jsonKey) UnmarshalText(b []byte) error { *k = jsonKey("text:" + string(b)); return nil }

// zeroish and ptrZeroish decide omitzero with their own IsZero.
type zeroish struct{ V int }

func (z zeroish) IsZero() bool { return z.V < 0 }

type ptrZeroish struct{ V int }

func (z *ptrZeroish) IsZero() bool { return z.V == 42 }

// named is a fmt.Stringer for a non-empty interface field.
type named string

func (n named) String() string { return string(n) }

type intPtr *int

// nilOK marshals itself even through a nil pointer.
type nilOK struct{}

func (*nilOK) MarshalJSON() ([]byte, error) { return []byte(`"nil-ok"`), nil }

// withTime embeds time.Time: its methods are promoted.
type withTime struct{ time.Time }

type everything struct {
	Name     string                    `json:"name"`
	Skip     string                    `json:"-"`
	Dash     string                    `json:"-,"`
	Empty    string                    `json:",omitempty"`
	NoTag    int                       //
	Quoted   int                       `json:"quoted,string"`
	QFloat   float64                   `json:"qf,string,omitempty"`
	QBool    bool                      `json:"qb,string"`
	QStr     string                    `json:"qs,string"`
	QPtr     *int                      `json:"qp,string"`
	QNum     json.Number               `json:"qn,string,omitempty"`
	QUint    uint8                     `json:"qu,string"`
	Zero     zeroish                   `json:"zero,omitzero"`
	PZero    ptrZeroish                `json:"pzero,omitzero"`
	ZTime    time.Time                 `json:"ztime,omitzero"`
	ZStruct  inner                     `json:"zstruct,omitzero"`
	OE       *inner                    `json:"oe,omitempty"`
	OES      inner                     `json:"oes,omitempty"` // structs are never empty
	NP       intPtr                    `json:"np,string"`     // a named pointer: ",string" does not apply
	Fold1    string                    `json:"fold"`
	Fold2    string                    `json:"FOLD"` // folds as fold does: the first wins
	F32      float32                   `json:"f32"`
	F64      float64                   `json:"f64"`
	I8       int8                      //
	U16      uint16                    //
	Bytes    []byte                    `json:"bytes"`
	Arr      [3]int                    `json:"arr"`
	BArr     [2]byte                   //
	List     []inner                   `json:"list"`
	Map      map[string]int            `json:"map"`
	IntMap   map[int]string            `json:"intMap"`
	UintMap  map[uint8]bool            `json:"uintMap,omitempty"`
	LevelMap map[level]bool            `json:"levelMap"`
	UpMap    map[upper]int             `json:"upMap"`
	KeyMap   map[jsonKey]int           `json:"keyMap,omitempty"`
	Any      any                       `json:"any"`
	Stringer fmt.Stringer              `json:"stringer"`
	Time     time.Time                 `json:"time"`
	PTime    *time.Time                `json:"ptime"`
	WTime    withTime                  `json:"wtime"`
	PWTime   *withTime                 `json:"pwtime"`
	Raw      json.RawMessage           `json:"raw"`
	Num      json.Number               `json:"num"`
	Temp     celsius                   `json:"temp"`
	PO       ptrOnly                   `json:"po"`
	Level    level                     `json:"level"`
	PP       **int                     `json:"pp"`
	Bad      string                    `json:"a'b"`
	Uni      string                    `json:"ünï"`
	Kelvin   string                    `json:"k"`
	Nested   map[string]map[string]any `json:"nested"`
	unexp    int
	inner
	*Promoted
	*deep
	hidden
	clashA
	clashB
}

// box is a generic struct, nested in itself in the tests.
type box[T any] struct {
	V T            `json:"v"`
	L []T          `json:"l,omitempty"`
	M map[string]T `json:"m,omitempty"`
	P *T           `json:"p,omitempty"`
}

type tree struct {
	Name   string  `json:"name"`
	Kids   []*tree `json:"kids,omitempty"`
	Parent *tree   `json:"-"`
}

// secret is embedded through a pointer to an unexported type: encoding/json
// cannot allocate it when decoding.
type secret struct{ S int }

type withSecret struct {
	*secret
	T int
}

// twice embeds common twice at one depth, so C1 clashes with itself and
// is left out; it also embeds non-struct types, which become fields.
type common struct{ C1 int }

type twiceA struct{ common }

type twiceB struct {
	common
	B2 int
}

type MyInt int

type Count uint

type twice struct {
	twiceA
	*twiceB
	MyInt
	*Count
	fmt.Stringer
	Own int
}

// taggedEmbed gives embedded structs names.
type taggedEmbed struct {
	inner  `json:"in"`
	*deep  `json:"deep,omitempty"`
	clashA `json:"clash"`
}

// email is shaped like core.EmailOutput.
type email struct {
	Subject             string     `json:"subject"`
	Body                string     `json:"body"`
	From                *emailFrom `json:"from,omitempty"`
	ReplyTo             string     `json:"replyTo,omitempty"`
	Preheader           string     `json:"preheader,omitempty"`
	UseProviderDefaults *bool      `json:"useProviderDefaults,omitempty"`
}

type emailFrom struct {
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

// payload is shaped like a workflow payload of moderate size.
type payload struct {
	OrderID  string         `json:"orderId"`
	Customer customer       `json:"customer"`
	Items    []item         `json:"items"`
	Total    float64        `json:"total"`
	Currency string         `json:"currency"`
	Paid     bool           `json:"paid"`
	Coupon   *string        `json:"coupon,omitempty"`
	Tags     []string       `json:"tags"`
	Meta     map[string]any `json:"meta"`
}

type customer struct {
	ID        int64  `json:"id"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
	VIP       bool   `json:"vip"`
}

type item struct {
	SKU   string  `json:"sku"`
	Name  string  `json:"name"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

const payloadJSON = `{"orderId":"A-10023","customer":{"id":88231,"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","vip":true},` +
	`"items":[{"sku":"SKU-1","name":"Analytical engine","qty":1,"price":1999.5},{"sku":"SKU-2","name":"Punch cards (box of 500)","qty":3,"price":12.25},` +
	`{"sku":"SKU-3","name":"Brass gears","qty":12,"price":0.75}],"total":2045.25,"currency":"EUR","paid":true,"tags":["priority","gift","eu"],` +
	`"meta":{"channel":"web","campaign":"spring","attempt":2,"flags":{"beta":true}}}`

const emailJSON = `{"subject":"Welcome, Ada!","body":"<p>Hi Ada, thanks for joining pro.</p><p>Plan: pro</p><p>Your order A-10023 is on its way.</p>","from":{"email":"hello@example.com","name":"Example"},"replyTo":"support@example.com"}`

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// catch returns what f returns, or what it panics with as an error.
func catch(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// fullEverything sets every field of everything.
func fullEverything() everything {
	n := 7
	pn := &n
	tm := time.Date(2024, 2, 29, 13, 4, 5, 6000, time.FixedZone("X", 3600))
	return everything{
		Name: "name <&> \u2028 ünï", Skip: "skip", Dash: "dash", NoTag: -3,
		Quoted: 42, QFloat: 1e-7, QBool: true, QStr: `he said "<hi>" \ ` + "\xff", QPtr: &n, QNum: "12.5", QUint: 255,
		Zero: zeroish{-1}, PZero: ptrZeroish{42}, ZStruct: inner{A: 1},
		OE: &inner{A: 2, B: "b"}, F32: 3.4e38, F64: -0.0, I8: -128, U16: 65535,
		Bytes: []byte("hello\x00\xff"), Arr: [3]int{1, 2, 3}, BArr: [2]byte{9, 8},
		List:     []inner{{A: 1}, {B: "x"}},
		Map:      map[string]int{"b": 2, "a": 1, "ä": 3, "A": 4, "bad\xff": 5},
		IntMap:   map[int]string{-1: "m", 10: "t", 2: "two"},
		UintMap:  map[uint8]bool{255: true, 0: false},
		LevelMap: map[level]bool{3: true, 12: false},
		UpMap:    map[upper]int{"b": 1, "a": 2},
		KeyMap:   map[jsonKey]int{"k": 1},
		Any:      map[string]any{"z": []any{1.5, "s", nil, true, map[string]any{}}, "a": json.Number("1e3")},
		Stringer: named("stringer"),
		Time:     tm, PTime: &tm, WTime: withTime{tm}, PWTime: &withTime{tm},
		Raw:   json.RawMessage(` {"b" : 1, "a":[1, 2] , "b":3} `),
		Num:   "-0.5e-3",
		Temp:  21.5,
		PO:    ptrOnly{5},
		Level: 9,
		PP:    &pn,
		Bad:   "bad", Uni: "uni", Kelvin: "kelvin",
		Nested: map[string]map[string]any{"x": {"y": 1}},
		unexp:  1,
		inner:  inner{A: 10, B: "promoted"},
		deep:   &deep{inner{A: 11, B: "deeper"}},
		hidden: hidden{C: true, D: 2.5},
		clashA: clashA{X: 1, Y: 2},
		clashB: clashB{X: "x", Y: "y"},
	}
}
