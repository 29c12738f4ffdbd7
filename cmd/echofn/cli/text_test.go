package cli

import "testing"

func TestHTMLText(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"paragraphs", "<p>Hello</p><p>World</p>", "Hello\n\nWorld"},
		{"list", "<p>Do:</p><ol><li>one</li><li>two</li></ol><p>Done</p>", "Do:\n\n- one\n- two\n\nDone"},
		{"links show their address", `<a href="https://x.example/?a=1&amp;b=2">Open</a>`, "Open <https://x.example/?a=1&b=2>"},
		{"link without address", `<a name="top">Top</a>`, "Top"},
		{"entities", "Caf&eacute; &amp; &lt;tea&gt;", "Café & <tea>"},
		{"hidden parts", "<html><head><title>T</title><style>p{color:red}</style></head><body><script>alert(1)</script>Text</body></html>", "Text"},
		{"source line breaks are spaces", "<p>one\ntwo   three</p>", "one two three"},
		{"inline tags keep spaces", "<p><strong>Ada</strong> commented</p>", "Ada commented"},
		{"line breaks", "a<br>b<br />c", "a\nb\nc"},
		{"doctype and comments", "<!DOCTYPE html><!-- note --><p>x</p>", "x"},
		{"unclosed tag", "<p>text <b", "text"},
		{"empty tags", "a<>b< >c</>d", "abcd"},
		{"attributes in any case", `<a title="İİİ" HREF='/x'>x</a>`, "x </x>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := htmlText(tc.html); got != tc.want {
				t.Errorf("htmlText(%q)\n got %q\nwant %q", tc.html, got, tc.want)
			}
		})
	}
}

func TestLooksLikeHTML(t *testing.T) {
	for s, want := range map[string]bool{
		"<!DOCTYPE html><html></html>": true,
		"<p>Hi</p>":                    true,
		"  <div>x</div>":               true,
		"Hi <b>there</b>":              false,
		"1 < 2":                        false,
		"":                             false,
	} {
		if got := looksLikeHTML(s); got != want {
			t.Errorf("looksLikeHTML(%q) = %v", s, got)
		}
	}
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<a href='x'>y", "<<>>", "<!--", "<script>", "&#", "<li><li></a></a>", "<>", "<a İİİİ href=x>y</a>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = htmlText(s) // never panics
	})
}
