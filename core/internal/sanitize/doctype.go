package sanitize

// doctypeLen returns the length of a doctype at the start of s, after any
// white space: "<!doctype" in any case up to the first ">". The sanitiser
// would drop it; String keeps it as it came. It is 0 when s does not start
// so.
func doctypeLen(s string) int {
	const keyword = "<!doctype"
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if len(s)-i < len(keyword) {
		return 0
	}
	for j := 0; j < len(keyword); j++ {
		c := s[i+j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != keyword[j] {
			return 0
		}
	}
	i += len(keyword)
	for ; i < len(s); i++ {
		if s[i] == '>' {
			return i + 1
		}
	}
	return 0
}
