package sanitize

import (
	"strings"
	"sync"
	"testing"
)

// FuzzString holds String to the pipeline it replaced (oracle_test.go) on
// every input, and the slow path to the old slow path even for text the
// fast path returns unchanged. Seeds are in testdata/fuzz/FuzzString.
func FuzzString(f *testing.F) {
	f.Add(`<p>Hi <b>Ada</b></p><script>alert(1)</script>`)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := String(s), oracle(s); got != want {
			t.Fatalf("String(%q)\n got %q\nwant %q", s, got, want)
		}
		if got, want := clean(s), oracleSlow(s); got != want {
			t.Fatalf("clean(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}

// elementNames are HTML, SVG and MathML element names, kept by the policy
// or not, and a few that are no element at all.
var elementNames = strings.Fields(`
	a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound
	big blink blockquote body br button canvas caption center cite code col colgroup data
	datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font
	footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img
	input ins isindex kbd keygen label legend li link listing main map mark marquee math menu
	menuitem meta meter nav nobr noembed noframes noscript nostyle object ol optgroup option
	output p param picture plaintext portal pre progress q rb rp rt rtc ruby s samp script
	search section select slot small source span strike strong style sub summary sup svg
	table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr
	xmp animate foreignobject set use mglyph mtext annotation-xml x-custom my-element p2 h7
`)

// attrNames are attribute names the policy keeps, and others.
var attrNames = strings.Fields(`
	style class id title dir lang align valign bgcolor background border cellpadding
	cellspacing width height color face size colspan rowspan scope headers role name content
	charset http-equiv type media rel target hreflang datetime cite alt loading srcset sizes
	crossorigin usemap ismap xmlns start reversed span summary abbr href src action formaction
	onclick onerror onload onmouseover srcdoc poster codebase xlink:href xml:lang value data
	nowrap hidden tabindex data-x data-xml data-xmlns data-xml-data-y data-a;b data- data-data-x
	data-a-data-; data-x<y aria-label
`)

// TestElementsAndAttributes compares String with the oracle on every element
// and attribute name above, in several forms.
func TestElementsAndAttributes(t *testing.T) {
	var inputs []string
	for _, e := range elementNames {
		up := strings.ToUpper(e)
		inputs = append(inputs,
			"<"+e+">t</"+e+">after",
			"<"+up+" ID=X>t</"+up+">",
			"<"+e+"/>t",
			"<"+e+` id="i">t</`+e+">",
			"<"+e+` href="https://example.com/a b" src="javascript:x" cite="http://example.com">t</`+e+">",
			"<"+e+` href="/rel" src="cid:logo" cite="javascript:x" onclick="x()">t`,
			"x</"+e+">y<"+e+` title="a'b">`,
			"<p><"+e+"><br>a<b>b</b></"+e+"></p>",
		)
	}
	for _, a := range attrNames {
		for _, e := range []string{"p", "a", "img", "link", "blockquote", "q", "font", "br", "style", "iframe"} {
			inputs = append(inputs,
				"<"+e+" "+a+`="https://example.com/?q=1&amp;r='2'">t</`+e+">",
				"<"+e+" "+a+`="javascript:alert(1)">t</`+e+">",
				"<"+e+" "+a+"/>",
				"<"+e+" "+a+" "+a+"=x>t",
			)
		}
	}
	for _, s := range inputs {
		if got, want := String(s), oracle(s); got != want {
			t.Errorf("String(%q)\n got %q\nwant %q", s, got, want)
		}
	}
}

// TestFastPath shows what the fast path skips: on text without <, > and &
// the sanitiser changes only single and double quotes (written as entities)
// and carriage returns (turned into line feeds). The fast path leaves those
// as they are, which is what sanitize-html does with quotes in text too.
func TestFastPath(t *testing.T) {
	for _, s := range []string{"plain text", "café ☕ 100 % — ok", "tab\tline\nnul\x00 bad\xff utf-8", "  \u00a0 ", "{{ payload.name }}"} {
		if got := clean(s); got != s {
			t.Errorf("clean(%q) = %q, want it unchanged", s, got)
		}
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q, want it unchanged", s, got)
		}
	}
	for _, tc := range []struct{ in, slow string }{
		{"It's", "It&#39;s"},
		{`say "hi"`, "say &#34;hi&#34;"},
		{"a\r\nb\rc", "a\nb\nc"},
	} {
		if got := clean(tc.in); got != tc.slow {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.slow)
		}
		if got := String(tc.in); got != tc.in {
			t.Errorf("String(%q) = %q, want it unchanged", tc.in, got)
		}
	}
}

// FuzzFastPath checks the claim of TestFastPath on any text: without
// < > & ' " and carriage returns, the sanitiser returns text unchanged, so
// the fast path gives what the full pass would.
func FuzzFastPath(f *testing.F) {
	f.Add("Hello Ada, your plan: free.")
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "<>&'\"\r") {
			return
		}
		if got := clean(s); got != s {
			t.Fatalf("clean(%q) = %q, want it unchanged", s, got)
		}
	})
}

// TestReusedCleaners runs String from several goroutines on inputs that
// end in different states (inside dropped content, with dropped start
// tags open, past the tokenizer's first buffer), so that pooled cleaners
// are reused across them; under -race it also shows they are not shared.
func TestReusedCleaners(t *testing.T) {
	inputs := []string{
		`<p>Hi <b>Ada</b></p><script>never closed`,
		`<img><a>open<font>open`,
		`x</font>y</a>z`,
		`<style>p{color:red}` + strings.Repeat(`<br><p title="x">y</p>`, 400),
		`Tom &amp; Jerry`,
		`<!DOCTYPE html><html><body><a href="https://example.com/?a=1&amp;b=2">link</a><br></body></html>`,
		`<object><embed>x`,
	}
	want := make([]string, len(inputs))
	for i, s := range inputs {
		want[i] = oracle(s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				k := (g + i) % len(inputs)
				if got := String(inputs[k]); got != want[k] {
					t.Errorf("String(%.40q...) = %.80q..., want %.80q...", inputs[k], got, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}
