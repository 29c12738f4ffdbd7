package bench

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/scenario"
)

var limitsFlag = flag.Bool("limits", true, "run TestBodyShapeLimits, which sends signed bodies of a few MB shaped to find slow paths (-limits=false skips it)")

// limitBudget is how long any signed request under the body limit may
// take: Novu gives up after 5 seconds.
const limitBudget = 4 * time.Second

// manyKeys is a JSON object with n members besides first.
func manyKeys(first string, n int) string {
	var b strings.Builder
	b.WriteString("{" + first)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `,"k%d":1`, i)
	}
	return b.String() + "}"
}

// TestBodyShapeLimits sends correctly signed bodies under the body limit
// whose shapes stress the decoder and the execute pipeline (many keys,
// long arrays, long strings, many state entries) and checks that each is
// answered within Novu's timeout: a shape that is too slow keeps the
// server's CPU busy long after the answer was due.
func TestBodyShapeLimits(t *testing.T) {
	if !*limitsFlag || testing.Short() {
		t.Skip("skipped with -limits=false or -short")
	}
	const (
		email = scenario.Path + "?action=execute&workflowId=welcome-email&stepId=send-email"
		inapp = scenario.Path + "?action=execute&workflowId=digest-inapp-custom&stepId=inapp-step"
		cust  = scenario.Path + "?action=execute&workflowId=digest-inapp-custom&stepId=custom-step"
		rest  = `,"controls":{},"state":[],"subscriber":{}}`
	)
	shapes := []struct {
		name, target, body string
	}{
		{"payload: 2 MB string", email, `{"payload":{"name":"` + strings.Repeat("a", 2<<20) + `"}` + rest},
		{"payload: array of 200000 objects", email, `{"payload":{"name":"Ada","list":[` + strings.Repeat(`{"x":1},`, 200000) + `1]}` + rest},
		{"digest result: 50000 events", inapp, `{"payload":{},"controls":{},"state":[{"stepId":"digest-step","outputs":{"events":[` +
			strings.Repeat(`{"id":"e","time":"t","payload":{}},`, 50000) + `{"id":"e","time":"t","payload":{}}]}}],"subscriber":{}}`},
		{"state: 100000 entries", cust, `{"payload":{},"controls":{},"state":[` + strings.Repeat(`{"stepId":"x","outputs":{}},`, 100000) +
			`{"stepId":"digest-step","outputs":{"events":[]}},{"stepId":"inapp-step","outputs":{"seen":true,"read":false,"lastSeenDate":null,"lastReadDate":null}}],"subscriber":{}}`},
		{"payload: object of 60000 keys", email, `{"payload":` + manyKeys(`"name":"Ada"`, 60000) + rest},
		{"subscriber: object of 60000 keys", email, `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":` + manyKeys(`"a":1`, 60000) + `}`},
	}
	c := startChild(t, echofnServe)
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			start := time.Now()
			resp, err := send(c.addr, post(s.target, s.body)(time.Now()), 5*time.Minute)
			elapsed := time.Since(start)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			t.Logf("%d bytes: %d %s after %v", len(s.body), resp.status, resp.code(), elapsed.Round(time.Millisecond))
			if elapsed > limitBudget {
				t.Errorf("answered after %v; Novu gives up after 5s", elapsed.Round(time.Millisecond))
			}
			c.alive(t)
		})
	}
}
