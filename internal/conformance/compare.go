package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Ignored lists what differs between any two runs, or between the two
// implementations by nature, and is left out of comparisons:
//   - metadata.duration: a timing;
//   - data.stack: the reference sends a JavaScript stack; we send none
//     outside dev mode (no internals in production answers);
//   - "code" in discover and the code action: the source text of the
//     workflow, JavaScript there and a Go function name here;
//   - preview outputs of steps with random mock data (preview-custom).
var randomOutputs = map[string]bool{"preview-custom": true, "x-preview-inapp": true}

// Compare reports how our answer differs from the reference's for case
// name; nil means they agree.
func Compare(name string, refStatus int, refBody []byte, gotStatus int, gotBody []byte) []string {
	var diffs []string
	if refStatus != gotStatus {
		diffs = append(diffs, fmt.Sprintf("status: reference %d, ours %d", refStatus, gotStatus))
	}
	ref, err1 := decode(refBody)
	got, err2 := decode(gotBody)
	if err1 != nil || err2 != nil {
		if !bytes.Equal(bytes.TrimSpace(refBody), bytes.TrimSpace(gotBody)) {
			diffs = append(diffs, fmt.Sprintf("body: reference %q, ours %q", refBody, gotBody))
		}
		return diffs
	}
	ref, got = normalize(name, ref), normalize(name, got)
	if ko, kg := keysOf(refBody, ref), keysOf(gotBody, got); !reflect.DeepEqual(ko, kg) {
		diffs = append(diffs, fmt.Sprintf("key order: reference %v, ours %v", ko, kg))
	}
	if !reflect.DeepEqual(ref, got) {
		r, _ := json.Marshal(ref)
		g, _ := json.Marshal(got)
		diffs = append(diffs, fmt.Sprintf("body:\n  reference %s\n  ours      %s", r, g))
	}
	return diffs
}

func decode(b []byte) (any, error) {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	err := d.Decode(&v)
	return v, err
}

// keysOf lists the top-level keys of body in order, leaving out those that
// normalising removed.
func keysOf(body []byte, normalized any) []string {
	m, _ := normalized.(map[string]any)
	var keys []string
	for _, k := range topKeys(body) {
		if _, ok := m[k]; ok || m == nil {
			keys = append(keys, k)
		}
	}
	return keys
}

func topKeys(b []byte) []string {
	d := json.NewDecoder(bytes.NewReader(b))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

func normalize(name string, v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if meta, ok := m["metadata"].(map[string]any); ok {
		delete(meta, "duration")
	}
	if data, ok := m["data"].(map[string]any); ok {
		delete(data, "stack")
		if len(data) == 0 {
			delete(m, "data")
		}
	}
	if _, ok := m["code"].(string); ok && len(m) == 1 {
		m["code"] = "<source>"
	}
	if wfs, ok := m["workflows"].([]any); ok {
		for _, w := range wfs {
			wm, _ := w.(map[string]any)
			wm["code"] = "<source>"
			steps, _ := wm["steps"].([]any)
			for _, s := range steps {
				sm, _ := s.(map[string]any)
				sm["code"] = "<source>"
				providers, _ := sm["providers"].([]any)
				for _, p := range providers {
					p.(map[string]any)["code"] = "<source>"
				}
			}
		}
	}
	if randomOutputs[name] || strings.HasPrefix(name, "preview-random") {
		if out, ok := m["outputs"].(map[string]any); ok {
			for k := range out {
				out[k] = "<mock>"
			}
		}
	}
	return m
}
