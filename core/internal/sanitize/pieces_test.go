package sanitize

import (
	"strings"
	"testing"
)

// pieces are fragments of markup that FuzzPieces strings together, so that
// the fuzzer combines tags, attributes, URLs and raw text faster than by
// mutating bytes.
var pieces = strings.Fields(`
	<p <a <img <br <hr <link <meta <style <script <title <textarea <iframe <object <embed
	<noscript <font <main <svg <math <table <td <blockquote <q <plaintext <xmp <x-y <input
	<basefont <area <base </p </a </img </br </style </script </title </iframe </object
	</embed </font </main </svg </blockquote </q </x-y </ > /> / = =" " =' ' ==
	href src cite style class id title data-x data-xml data-xmlx data-a;b data- onclick
	onerror name alt background srcset xmlns xlink:href http-equiv content
	javascript:alert(1) JaVaScRiPt: java&#x09;script: https://example.com/a?b=c&amp;d
	http://[::1 mailto:a@b tel:+1 cid:x data:image/png;base64, data:text/html, /rel ?q #f
	//host vbscript: &#106; &colon; &amp; &lt; &gt; &quot; &#39; &nbsp; &#0; &#x3c; &
	<!-- --> --!> <! <!doctype <!DOCTYPE html <? ?> <![CDATA[ ]]> x y ab
	'x' "x" @import url( ) { } ; : < ' "
`)

// whitespace and odd bytes, which strings.Fields cannot hold
var oddPieces = []string{" ", "\t", "\n", "\r", "\r\n", "\f", "\v", "\x00", "\xff", "\u00a0", "\u0085", "é", "İ"}

// FuzzPieces holds String to the oracle on strings made of pieces: each
// byte of the input picks one.
func FuzzPieces(f *testing.F) {
	f.Add([]byte{0, 2, 5, 9})
	f.Add([]byte("\x07\x50\x51\x52\x53\x54\x55\x56\x57\x58\x59"))
	all := append(append([]string(nil), pieces...), oddPieces...)
	f.Fuzz(func(t *testing.T, picks []byte) {
		var b strings.Builder
		for _, p := range picks {
			b.WriteString(all[int(p)%len(all)])
		}
		s := b.String()
		if got, want := String(s), oracle(s); got != want {
			t.Fatalf("String(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}
