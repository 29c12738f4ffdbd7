package core

import (
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
)

func TestMockString(t *testing.T) {
	tests := []struct{ schema, want string }{
		{`{"type":"string"}`, `"[placeholder]"`},
		{`{"type":"string","pattern":"^[0-9]{6}$"}`, `"123456"`},
		{`{"type":"string","maxLength":3}`, `"a"`},
		{`{"type":"string","minLength":20}`, `"xxxxxxxxxxxxxxxxxxxx"`},
		{`{"type":"string","format":"email"}`, `"user@example.com"`},
		{`{"type":"string","enum":["b","c"]}`, `"b"`},
		{`{"type":"object","properties":{"code":{"type":"string","pattern":"^[0-9]{6}$"},"n":{"type":"integer","minimum":2}}}`, `{"code":"123456","n":2}`},
	}
	for _, tc := range tests {
		s, err := jsonx.Decode([]byte(tc.schema))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(jsonx.Marshal(mock(s))); got != tc.want {
			t.Errorf("mock(%s) = %s, want %s", tc.schema, got, tc.want)
		}
	}
}
