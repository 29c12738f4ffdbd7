package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/echofn/echofn/cloudsim"
)

// inputs reads the JSON values of a command's flags, keeping the first
// error.
type inputs struct {
	app       *App
	err       error
	stdinUsed string // the flag that read standard input
}

// read returns a flag's value: the text itself, the contents of @file, or
// standard input for @-.
func (in *inputs) read(name, v string) []byte {
	if in.err != nil {
		return nil
	}
	switch {
	case v == "@-":
		if in.stdinUsed != "" {
			in.err = fmt.Errorf("%s @-: standard input is already read by %s", name, in.stdinUsed)
			return nil
		}
		in.stdinUsed = name
		b, err := io.ReadAll(in.app.Stdin)
		if err != nil {
			in.err = fmt.Errorf("%s: reading standard input: %v", name, err)
		}
		return b
	case strings.HasPrefix(v, "@"):
		b, err := os.ReadFile(v[1:])
		if err != nil {
			in.err = fmt.Errorf("%s: %v", name, err)
		}
		return b
	}
	return []byte(v)
}

// object reads a JSON object; "" gives nil.
func (in *inputs) object(name, v string) json.RawMessage {
	if v == "" {
		return nil
	}
	b := bytes.TrimSpace(in.read(name, v))
	if in.err != nil {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		in.err = fmt.Errorf("%s is not a JSON object: %s", name, jsonProblem(b, err))
		return nil
	}
	return json.RawMessage(b)
}

// withField sets key to value in a JSON object (nil is {}).
func (in *inputs) withField(name string, obj json.RawMessage, key, value string) json.RawMessage {
	if in.err != nil {
		return nil
	}
	m := map[string]any{}
	if len(obj) > 0 {
		if err := json.Unmarshal(obj, &m); err != nil {
			in.err = fmt.Errorf("%s: %v", name, err)
			return nil
		}
	}
	m[key] = value
	b, _ := json.Marshal(m)
	return b
}

// controls turns the --controls values into controls by step id.
func (in *inputs) controls(values controlsFlag) map[string]json.RawMessage {
	if in.err != nil || len(values) == 0 {
		return nil
	}
	out := map[string]json.RawMessage{}
	for _, v := range values {
		if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "@") {
			var byStep map[string]json.RawMessage
			b := bytes.TrimSpace(in.read("--controls", v))
			if in.err != nil {
				return nil
			}
			if err := json.Unmarshal(b, &byStep); err != nil || byStep == nil {
				in.err = fmt.Errorf("--controls %s is neither STEP=JSON nor a JSON object of controls by step id: %s", short(v), jsonProblem(b, err))
				return nil
			}
			for step, c := range byStep {
				if !isObject(c) {
					in.err = fmt.Errorf("--controls: the controls of step %q are not a JSON object", step)
					return nil
				}
				out[step] = c
			}
			continue
		}
		step, value, ok := strings.Cut(v, "=")
		if !ok || step == "" {
			in.err = fmt.Errorf("--controls %s: want STEP=JSON, such as email={\"subject\":\"Hi\"}", short(v))
			return nil
		}
		c := in.object("--controls "+step, value)
		if in.err != nil {
			return nil
		}
		out[step] = c
	}
	return out
}

// digestEvents reads the events digest steps report.
func (in *inputs) digestEvents(v string, now time.Time) []cloudsim.DigestEvent {
	b := bytes.TrimSpace(in.read("--digest-events", v))
	if in.err != nil {
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(b, &list); err != nil || list == nil {
		in.err = fmt.Errorf("--digest-events is not a JSON array: %s", jsonProblem(b, err))
		return nil
	}
	events := make([]cloudsim.DigestEvent, 0, len(list))
	for i, raw := range list {
		var e struct {
			ID      *string         `json:"id"`
			Time    *string         `json:"time"`
			Payload json.RawMessage `json:"payload"`
		}
		if !isObject(raw) || json.Unmarshal(raw, &e) != nil {
			in.err = fmt.Errorf("--digest-events: element %d is not a JSON object", i)
			return nil
		}
		ev := cloudsim.DigestEvent{
			ID:      fmt.Sprintf("event-%d", i+1),
			Time:    now.Add(time.Duration(i-len(list)) * time.Second).UTC().Format("2006-01-02T15:04:05.000Z"),
			Payload: e.Payload,
		}
		if e.Payload == nil {
			ev.Payload = raw // the element is the payload
		} else if !isObject(e.Payload) {
			in.err = fmt.Errorf("--digest-events: the payload of element %d is not a JSON object", i)
			return nil
		}
		if e.ID != nil {
			ev.ID = *e.ID
		}
		if e.Time != nil {
			ev.Time = *e.Time
		}
		events = append(events, ev)
	}
	return events
}

// controlsFlag collects repeated --controls values.
type controlsFlag []string

func (c *controlsFlag) String() string { return strings.Join(*c, " ") }

func (c *controlsFlag) Set(v string) error {
	*c = append(*c, v)
	return nil
}

func isObject(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && m != nil
}

func jsonProblem(b []byte, err error) string {
	if len(b) == 0 {
		return "it is empty"
	}
	if err == nil {
		return "it is " + short(string(b))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v at byte %d", err, se.Offset)
	}
	return err.Error()
}

func short(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
