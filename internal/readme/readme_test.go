// Package readme checks that the code quoted in README.md is the code of the
// files it names, so the documentation cannot drift from what is tested.
package readme

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/echofn/echofn/internal/testtools"
)

var snippet = regexp.MustCompile("(?s)<!-- snippet: ([^ ]+) -->\n```[a-z]*\n(.*?)```")

func TestSnippetsAreQuotedFromTestedFiles(t *testing.T) {
	root := testtools.Root()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	matches := snippet.FindAllStringSubmatch(string(readme), -1)
	if len(matches) == 0 {
		t.Fatal("README.md quotes no snippet")
	}
	for _, m := range matches {
		src, err := os.ReadFile(filepath.Join(root, m[1]))
		if err != nil {
			t.Errorf("snippet from %s: %v", m[1], err)
			continue
		}
		if !strings.Contains(string(src), m[2]) {
			t.Errorf("README.md's snippet from %s is not in that file:\n%s", m[1], m[2])
		}
	}
}
