package sanitize

// Void elements are written the way sanitize-html writes them, "<br />".
// Tags the sanitiser writes itself are closed so as they are written; the
// text of <style> and <script>, written as it came, is rewritten here.

// voidNames are the names written with " />" when they appear as a tag in
// raw text.
var voidNames = [...]string{"img", "br", "hr", "area", "base", "basefont", "input", "link", "meta"}

// isSpace reports whether c is white space as a tag's end may contain it:
// tab, line feed, form feed, carriage return or space.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// appendVoidClosed appends raw text to dst with every tag of a void element
// in it ("<br>", "<img a>", "<hr/>") closed as "<br />", "<img a />",
// "<hr />". A tag counts when its name is followed by ">", "/>", or white
// space and then anything up to a ">" that comes before any "<"; white space
// and a slash just before that ">" are replaced by the " />".
func appendVoidClosed(dst, text []byte) []byte {
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '<' {
			continue
		}
		for _, name := range voidNames {
			rest := text[i+1:]
			if len(rest) < len(name) || string(rest[:len(name)]) != name {
				continue
			}
			keep, end := voidTagEnd(rest[len(name):])
			if end < 0 {
				continue
			}
			dst = append(dst, text[start:i+1+len(name)]...)
			dst = append(dst, rest[len(name):len(name)+keep]...)
			dst = append(dst, " />"...)
			i += 1 + len(name) + end
			start = i + 1
			break
		}
	}
	return append(dst, text[start:]...)
}

// voidTagEnd looks at what follows a void element's name in raw text. It
// returns how many bytes of it stay before the " />" and the index of the
// closing '>', or -1 if this is not such a tag.
func voidTagEnd(rest []byte) (keep, end int) {
	if len(rest) == 0 {
		return 0, -1
	}
	if !isSpace(rest[0]) {
		switch {
		case rest[0] == '>':
			return 0, 0
		case len(rest) > 1 && rest[0] == '/' && rest[1] == '>':
			return 0, 1
		}
		return 0, -1
	}
	end = 1
	for end < len(rest) && rest[end] != '<' && rest[end] != '>' {
		end++
	}
	if end == len(rest) || rest[end] == '<' {
		return 0, -1
	}
	keep = end
	if keep > 1 && rest[keep-1] == '/' {
		keep--
	}
	for keep > 1 && isSpace(rest[keep-1]) {
		keep--
	}
	return keep, end
}
