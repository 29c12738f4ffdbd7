package schema

import "testing"

// splitDateTime finds the two parts dateTimeParts finds, and refuses what
// it does not split in two.
func TestSplitDateTime(t *testing.T) {
	inputs := []string{"", "T", "tt", "2020-01-01T10:00:00Z", "2020-01-01 10:00:00", "a\u3000b", "a\u00a0b\u00a0c", "\xffT\xff", "no separator"}
	for _, f := range formatSamples() {
		inputs = append(inputs, f.values...)
	}
	for _, s := range inputs {
		parts := dateTimeParts(s)
		date, time, ok := splitDateTime(s)
		if ok != (len(parts) == 2) || ok && (date != parts[0] || time != parts[1]) {
			t.Errorf("splitDateTime(%q) = %q, %q, %v; dateTimeParts gives %q", s, date, time, ok, parts)
		}
	}
}
