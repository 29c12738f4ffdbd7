package sanitize

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// cleanTokenized is clean with every input read by the tokenizer, as before
// simple markup was lexed on its own.
func cleanTokenized(s string) string {
	n := doctypeLen(s)
	if strings.TrimSpace(s[n:]) == "" {
		return s
	}
	c := new(cleaner)
	c.fresh = *html.NewTokenizer(&c.in)
	c.out = append(c.out, s[:n]...)
	c.in.Reset(s[n:])
	c.tok = c.fresh
	c.walk(&c.tok)
	return string(c.out)
}

// simpleMarkup draws markup of the kind lexSimple reads, and some that it
// must refuse, from the element and attribute names of the differential
// test.
func simpleMarkup(r *rand.Rand) string {
	texts := []string{"Hi", " ", "Ada & Co", "a > b", `say "hi"`, "it's", "line\nbreak", "café ☕", "x\r\ny", "\x00", "p{color:red}", "<", "</", "< b"}
	values := []string{"", "x", "https://example.com/a", "javascript:alert(1)", "/rel", "cid:logo", "a'b", "a>b", "<b>", "a&amp;b", "data:image/png;base64,xx"}
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	var b strings.Builder
	for range 1 + r.IntN(8) {
		switch r.IntN(5) {
		case 0, 1:
			b.WriteString(pick(texts))
		case 2, 3:
			b.WriteString("<" + pick(elementNames))
			for range r.IntN(3) {
				b.WriteString(" " + pick(attrNames) + `="` + pick(values) + `"`)
			}
			if r.IntN(20) == 0 {
				b.WriteString(" /")
			}
			b.WriteString(">")
		default:
			b.WriteString("</" + pick(elementNames) + ">")
		}
	}
	return b.String()
}

// Simple markup, lexed on its own, is cleaned exactly as the tokenizer's
// tokens are, and as the oracle cleans it.
func TestSimpleMarkup(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := []string{
		`<p>Hi <b>Ada</b></p><p>Plan: pro</p><script>alert(1)</script>`,
		`<title>a</title>`, `<textarea>x > y</textarea>z`, `<script></script>after`, `<style></style>p`,
		`<script>never closed`, `<xmp>x</xmp>`, `<iframe>x</iframe>`, `<noscript>x</noscript>y`,
		`<noembed>x</noembed>`, `<noframes>x</noframes>`, `<plaintext>x`, `<style>a</stylex>b</style>`,
		`<title>x</TITLE>`, `<script>a</script >`, `<p title="">t</p>`, `<p data-x="1" data-x="2">t`,
		`<br><hr><wbr>`, `<img src="cid:x"><img>`, `<a href="javascript:x">t</a>`, `<a>t</a>`,
		`<font>x</font></font>`, `<p title="a>b" class="c">`, `<p  title="x">`, `<p title=x>`,
		`<p title="x"`, `<p`, `</p`, `</>`, `<1>`, `<p/>`, `<P>`, "<p title=\"a\nb\">",
		`<!DOCTYPE html><p>x</p>`, `<!-- c --><p>x</p>`, `a < b`,
	}
	simple := 0
	const n = 20000
	for i := range n {
		s := simpleMarkup(r)
		if i < len(cases) {
			s = cases[i]
		}
		if _, _, ok := lexSimple([]byte(s[doctypeLen(s):]), nil, nil); ok {
			simple++
		}
		want := cleanTokenized(s)
		if got := clean(s); got != want {
			t.Fatalf("clean(%q)\n got %q\nwant %q (tokenizer)", s, got, want)
		}
		if got, want := String(s), oracle(s); got != want {
			t.Fatalf("String(%q)\n got %q\nwant %q (oracle)", s, got, want)
		}
	}
	if simple < n/4 || simple == n {
		t.Errorf("%d of %d inputs are simple: the cases do not cover both paths", simple, n)
	}
	t.Logf("%d of %d inputs are simple markup", simple, n)
}

// FuzzSimpleMarkup holds the lexed path to the tokenizer's on any input.
func FuzzSimpleMarkup(f *testing.F) {
	f.Add(`<p>Hi <b title="x">Ada</b></p><script>alert(1)</script>`)
	f.Add(`<style>p{color:red}</style><a href="/x">y</a><br>`)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := clean(s), cleanTokenized(s); got != want {
			t.Fatalf("clean(%q)\n got %q\nwant %q (tokenizer)", s, got, want)
		}
	})
}
