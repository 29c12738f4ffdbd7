package cli

import (
	"html"
	"strings"
)

// looksLikeHTML reports whether a text is markup rather than plain text.
func looksLikeHTML(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	if !strings.HasPrefix(t, "<") {
		return false
	}
	for _, tag := range []string{"<!doctype", "<html", "<body", "<p", "<div", "<table", "<h1", "<h2", "<span", "<a ", "<br"} {
		if strings.Contains(t, tag) {
			return true
		}
	}
	return false
}

// htmlText renders an email's HTML as the plain text a reader would see:
// blocks on their own lines, list items with a dash, links followed by
// their address, no scripts, styles or head.
func htmlText(s string) string {
	var b strings.Builder
	var hrefs []string
	hidden := ""
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			if hidden == "" {
				// Line breaks in the source are spaces; the tags decide
				// where lines end.
				b.WriteString(strings.Map(func(r rune) rune {
					if r == '\n' || r == '\r' || r == '\t' {
						return ' '
					}
					return r
				}, html.UnescapeString(s[i:i+j])))
			}
			i += j
			continue
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		tag := s[i+1 : i+j]
		i += j + 1
		if strings.HasPrefix(tag, "!") {
			continue
		}
		closing := strings.HasPrefix(tag, "/")
		name := ""
		if f := strings.Fields(strings.TrimPrefix(tag, "/")); len(f) > 0 {
			name = strings.ToLower(strings.Trim(f[0], "/"))
		}
		if hidden != "" {
			if closing && name == hidden {
				hidden = ""
			}
			continue
		}
		switch name {
		case "script", "style", "head", "title":
			if !closing {
				hidden = name
			}
		case "br", "tr":
			b.WriteByte('\n')
		case "li":
			if !closing {
				b.WriteString("\n- ")
			}
		case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ol", "ul", "table", "hr", "section", "header", "footer":
			b.WriteString("\n\n")
		case "a":
			if !closing {
				hrefs = append(hrefs, attr(tag, "href"))
			} else if n := len(hrefs); n > 0 {
				if h := hrefs[n-1]; h != "" {
					b.WriteString(" <" + h + ">")
				}
				hrefs = hrefs[:n-1]
			}
		}
	}
	var lines []string
	for _, line := range strings.Split(b.String(), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" && (len(lines) == 0 || lines[len(lines)-1] == "") {
			continue
		}
		lines = append(lines, line)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// attr returns an attribute's value from the inside of a start tag.
func attr(tag, name string) string {
	// Lower-case ASCII bytes only, so that indexes into lower are indexes
	// into tag, whatever the bytes.
	b := []byte(tag)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	lower := string(b)
	for from := 0; ; {
		k := strings.Index(lower[from:], name+"=")
		if k < 0 {
			return ""
		}
		k += from
		if k > 0 && !isSpace(lower[k-1]) {
			from = k + 1
			continue
		}
		v := tag[k+len(name)+1:]
		if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
			if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
				return html.UnescapeString(v[1 : end+1])
			}
			return ""
		}
		if end := strings.IndexFunc(v, func(r rune) bool { return r == ' ' || r == '>' }); end >= 0 {
			v = v[:end]
		}
		return html.UnescapeString(v)
	}
}
