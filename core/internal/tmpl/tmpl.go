// Package tmpl renders step control values as Liquid templates, the way
// Novu's SDK does: every string in the controls is a template over the
// payload, subscriber, earlier steps' results, env and context.
//
// The engine is github.com/osteele/liquid, with the SDK's extra filters
// (json, digest, toSentence, pluralize) and its output rules: objects and
// arrays print as JSON with single quotes, null prints nothing, unknown
// filters are ignored and "{{ t.key }}" translation markers are kept as they
// are.
package tmpl

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/osteele/liquid"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// escapeFilter is appended to every output expression; it applies the
// SDK's output escaping.
const escapeFilter = "__novu_escape"

// maxCached bounds the parsed-template cache.
const maxCached = 4096

// Error reports a template that failed to parse or render. Name is the kind
// of failure in the SDK's terms (TokenizationError, ParseError, RenderError).
type Error struct {
	Name string
	Err  error
}

func (e *Error) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Engine renders control values. It is safe for concurrent use.
type Engine struct {
	liquid *liquid.Engine
	cache  sync.Map // source -> *liquid.Template
	cached int
	mu     sync.Mutex
}

// New returns an engine with the SDK's filters registered.
func New() *Engine {
	e := liquid.NewEngine()
	e.RegisterFilter(escapeFilter, escape)
	e.RegisterFilter("json", jsonFilter)
	e.RegisterFilter("digest", digest)
	e.RegisterFilter("toSentence", toSentence)
	e.RegisterFilter("pluralize", pluralizeFilter)
	return &Engine{liquid: e}
}

// Render renders every string inside controls (an ordered value) with the
// given bindings and returns a new value; controls is not modified.
func (e *Engine) Render(controls any, bindings map[string]any) (any, error) {
	r := renderer{e: e, scope: fixedBindings(bindings)}
	return r.render(controls)
}

// Scope is what templates can see.
type Scope interface {
	// Bindings builds the variables as plain values (see Bindings); it is
	// called at most once, and only for a template that needs the engine.
	Bindings() map[string]any
	// Root returns a top-level variable (payload, subscriber, ...) as an
	// ordered value, for templates that only substitute variables.
	Root(name string) (any, bool)
}

// fixedBindings is the scope of Render: bindings given as they are, and
// every template sent through the engine.
type fixedBindings map[string]any

func (b fixedBindings) Bindings() map[string]any { return b }
func (b fixedBindings) Root(string) (any, bool)  { return nil, false }

// RenderScope is Render with the variables of scope.
func (e *Engine) RenderScope(controls any, scope Scope) (any, error) {
	r := renderer{e: e, scope: scope, fast: true}
	return r.render(controls)
}

type renderer struct {
	e     *Engine
	scope Scope
	fast  bool           // templates that only substitute variables read scope.Root
	built map[string]any // scope.Bindings(), once called
}

func (r *renderer) bindings() map[string]any {
	if r.built == nil {
		r.built = r.scope.Bindings()
	}
	return r.built
}

func (r *renderer) render(controls any) (any, error) {
	switch v := controls.(type) {
	case string:
		out, err := r.renderString(v)
		if err == nil && out == v {
			return controls, nil // unchanged, and boxed already
		}
		return out, err
	case *jsonx.Object:
		out := jsonx.NewObjectSize(len(v.Members))
		for _, m := range v.Members {
			v, err := r.render(m.Value)
			if err != nil {
				return nil, err
			}
			out.Members = append(out.Members, jsonx.Member{Key: m.Key, Value: v})
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, el := range v {
			v, err := r.render(el)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	default:
		return v, nil
	}
}

func (r *renderer) renderString(s string) (string, error) {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "{%") {
		return s, nil
	}
	if r.fast {
		if out, ok := r.e.fast(s, r.scope); ok {
			return out, nil
		}
	}
	e := r.e
	// The SDK renders the JSON text of the controls, so the template sees
	// each string in its escaped form and the result is unescaped after.
	quoted := string(jsonx.AppendString(nil, s))
	source := quoted[1 : len(quoted)-1]
	t, err := e.parse(source)
	if err != nil {
		return "", err
	}
	out, rerr := t.RenderString(r.bindings())
	if rerr != nil {
		return "", &Error{Name: "RenderError", Err: rerr}
	}
	out = restoreMarkers(out)
	var result string
	if err := json.Unmarshal([]byte(`"`+out+`"`), &result); err != nil {
		// An object printed as single-quoted JSON may hold \' escapes,
		// which JSON lacks; read them as quotes, as a repair would.
		if err := json.Unmarshal([]byte(`"`+repairQuotes(out)+`"`), &result); err != nil {
			return "", &Error{Name: "SyntaxError", Err: errors.New("rendered control is not a valid string")}
		}
	}
	return result, nil
}

func (e *Engine) parse(source string) (*liquid.Template, error) {
	if t, ok := e.cache.Load(source); ok {
		return t.(*liquid.Template), nil
	}
	rewritten, err := rewrite(source)
	if err != nil {
		return nil, err
	}
	t, perr := e.liquid.ParseString(rewritten)
	if perr != nil {
		return nil, &Error{Name: "ParseError", Err: perr}
	}
	e.mu.Lock()
	if e.cached < maxCached {
		e.cached++
		e.cache.Store(source, t)
	}
	e.mu.Unlock()
	return t, nil
}

var (
	translationMarker = regexp.MustCompile(`^\s*t\.([\p{L}\p{N}_.-]+)\s*$`)
	markerOut         = regexp.MustCompile(`\x00T:([\p{L}\p{N}_.-]+)\x00`)
	filterName        = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)`)
)

// known lists the filters the engine has; any other is dropped from the
// pipeline, as liquidjs ignores unknown filters.
var known = map[string]bool{
	"default": true, "json": true, "compact": true, "concat": true, "join": true, "map": true,
	"reverse": true, "sort": true, "first": true, "last": true, "uniq": true, "date": true,
	"abs": true, "ceil": true, "floor": true, "modulo": true, "minus": true, "plus": true,
	"times": true, "divided_by": true, "round": true, "size": true, "append": true,
	"capitalize": true, "downcase": true, "escape": true, "escape_once": true,
	"newline_to_br": true, "prepend": true, "remove": true, "remove_first": true,
	"replace": true, "replace_first": true, "sort_natural": true, "slice": true, "split": true,
	"strip_html": true, "strip_newlines": true, "strip": true, "lstrip": true, "rstrip": true,
	"truncate": true, "truncatewords": true, "upcase": true, "url_encode": true,
	"url_decode": true, "digest": true, "toSentence": true, "pluralize": true,
}

// rewrite adds the escaping filter to every {{ output }}, drops unknown
// filters and protects translation markers.
func rewrite(src string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(src, "{{")
		if i < 0 {
			b.WriteString(src)
			return b.String(), nil
		}
		b.WriteString(src[:i])
		end := closing(src, i+2)
		if end < 0 {
			return "", &Error{Name: "TokenizationError", Err: fmt.Errorf("output %q not closed", truncate(src[i:]))}
		}
		inner := src[i+2 : end]
		ltrim, rtrim := "", ""
		if strings.HasPrefix(inner, "-") {
			ltrim, inner = "-", inner[1:]
		}
		if strings.HasSuffix(inner, "-") {
			rtrim, inner = "-", inner[:len(inner)-1]
		}
		if m := translationMarker.FindStringSubmatch(inner); m != nil {
			b.WriteString("\x00T:" + m[1] + "\x00")
		} else {
			parts := splitPipes(inner)
			kept := []string{parts[0]}
			for _, p := range parts[1:] {
				if m := filterName.FindStringSubmatch(p); m != nil && known[m[1]] {
					kept = append(kept, p)
				}
			}
			kept = append(kept, " "+escapeFilter+" ")
			b.WriteString("{{" + ltrim + strings.Join(kept, "|") + rtrim + "}}")
		}
		src = src[end+2:]
	}
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// unquoted calls visit with the index of every byte of s from from on that
// is outside a quoted string, until visit returns true; it returns that
// index, or -1.
func unquoted(s string, from int, visit func(i int) bool) int {
	var quote byte
	for i := from; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case visit(i):
			return i
		}
	}
	return -1
}

// closing finds the "}}" that ends an output started before from, skipping
// quoted strings.
func closing(s string, from int) int {
	return unquoted(s, from, func(i int) bool { return s[i] == '}' && i+1 < len(s) && s[i+1] == '}' })
}

// splitPipes splits an output expression at the filter pipes outside
// quoted strings.
func splitPipes(s string) []string {
	var parts []string
	start := 0
	unquoted(s, 0, func(i int) bool {
		if s[i] == '|' {
			parts = append(parts, s[start:i])
			start = i + 1
		}
		return false
	})
	return append(parts, s[start:])
}

func restoreMarkers(s string) string {
	if !strings.Contains(s, "\x00") {
		return s
	}
	return markerOut.ReplaceAllString(s, "{{t.$1}}")
}

// escape is the SDK's output escaping: strings are escaped for a JSON
// string, objects and arrays printed as JSON with single quotes.
func escape(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		q := string(jsonx.AppendString(nil, t))
		return q[1 : len(q)-1]
	case map[string]any, []any:
		return singleQuoteJSON(t, 0)
	default:
		return jsString(v)
	}
}

func singleQuoteJSON(v any, indent int) string {
	var b []byte
	var err error
	if indent > 0 {
		b, err = json.MarshalIndent(v, "", strings.Repeat(" ", indent))
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		return ""
	}
	s := strings.ReplaceAll(string(b), `"`, "'")
	return strings.ReplaceAll(s, "\n", `\n`)
}

// jsString formats a scalar as JavaScript's String() does.
func jsString(v any) string {
	switch t := v.(type) {
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return formatNumber(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case string:
		return t
	default:
		return fmt.Sprint(t)
	}
}

func formatNumber(f float64) string {
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 0) {
		if f > 0 {
			return "Infinity"
		}
		return "-Infinity"
	}
	if f == 0 {
		return "0"
	}
	if a := math.Abs(f); a >= 1e21 || a < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		if exp[0] == '+' || exp[0] == '-' {
			sign := exp[:1]
			exp = strings.TrimLeft(exp[1:], "0")
			return mant + "e" + sign + exp
		}
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Bindings converts an ordered value to the plain maps and float64 numbers
// that Liquid expressions compare and index.
func Bindings(v any) any {
	switch t := v.(type) {
	case *jsonx.Object:
		m := make(map[string]any, len(t.Members))
		for _, mem := range t.Members {
			m[mem.Key] = Bindings(mem.Value)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = Bindings(e)
		}
		return out
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return string(t)
		}
		return f
	default:
		return v
	}
}

// repairQuotes drops the backslash of every \' escape.
func repairQuotes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if s[i+1] != '\'' {
				b.WriteByte(s[i])
			}
			i++
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
