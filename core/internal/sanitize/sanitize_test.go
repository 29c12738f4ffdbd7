package sanitize

import "testing"

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"<p>Hi Ada</p><p>Plan: free</p><script>alert(1)</script>", "<p>Hi Ada</p><p>Plan: free</p>"},
		{`<a href="javascript:alert(1)" onclick="x()">x</a>`, "x"},
		{`<img src="https://example.com/a.png" onerror="x()" width="10">`, `<img src="https://example.com/a.png" width="10" />`},
		{"a<br>b<hr/>", "a<br />b<hr />"},
		{`<!DOCTYPE html><html><body style="color:red"><p>x</p></body></html>`, `<!DOCTYPE html><html><body style="color:red"><p>x</p></body></html>`},
	}
	for _, tc := range tests {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkString(b *testing.B) {
	for _, in := range []struct{ name, html string }{
		{"paragraphs", "<p>Hello Ada</p><p>Plan: free</p><script>alert(1)</script>"},
		{"email", `<!DOCTYPE html><html><head><meta charset="utf-8"><style>p{color:red}</style></head><body style="margin:0"><table width="100%"><tr><td><img src="https://example.com/logo.png" alt="Logo"><h1>Welcome, Ada</h1><p>Thanks for joining. <a href="https://example.com/start">Get started</a>.</p><br></td></tr></table></body></html>`},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				String(in.html)
			}
		})
	}
}
