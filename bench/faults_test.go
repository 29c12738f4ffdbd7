package bench

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/core"
)

// TestStepSeesClientGoAway checks that a step runs under the request's
// context: when the caller hangs up, a step waiting on its context is
// released with the context's cancellation, not by its step timeout.
func TestStepSeesClientGoAway(t *testing.T) {
	t.Parallel()
	c := startChild(t, echofnServe)
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		t.Fatal(err)
	}
	req := post(scenario.Path+"?action=execute&workflowId=fault-waits&stepId=waits", faultBody)(time.Now())
	if _, err := conn.Write(req.bytes(c.addr)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the step is running
	conn.Close()

	if !c.waitForLog(t, "waits step released", 10*time.Second) {
		t.Fatalf("the step was not released within 10s of the caller hanging up:\n%s", c.logText(t))
	}
	logs := c.logText(t)
	if !strings.Contains(logs, `context canceled"`) || strings.Contains(logs, "deadline exceeded") {
		t.Errorf("the step was released for another reason than the caller leaving:\n%s", logs)
	}
	c.alive(t)
	c.health(t)
}

// TestStepTimeoutBeatsNovu checks the production default: a step that never
// returns is answered with a 502 by core.DefaultStepTimeout, before Novu's
// 5-second call timeout, so Novu sees the bridge's error rather than its
// own timeout.
func TestStepTimeoutBeatsNovu(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits for the default step timeout")
	}
	if core.DefaultStepTimeout >= 5*time.Second {
		t.Fatalf("core.DefaultStepTimeout is %v, not under Novu's 5s", core.DefaultStepTimeout)
	}
	c := startChild(t, echofnServe)
	t.Run("steps", func(t *testing.T) {
		for _, step := range []string{"blocks", "waits"} {
			t.Run(step, func(t *testing.T) {
				t.Parallel()
				checkStepTimeout(t, c, step)
			})
		}
	})
	c.alive(t)
}

func checkStepTimeout(t *testing.T, c *child, step string) {
	start := time.Now()
	resp, err := send(c.addr, post(scenario.Path+"?action=execute&workflowId=fault-"+step+"&stepId="+step, faultBody)(time.Now()), 30*time.Second)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if resp.status != 502 || resp.code() != "StepExecutionFailedError" {
		t.Errorf("got %d %s, want 502 StepExecutionFailedError", resp.status, resp.body)
	}
	// Generous on the fast side, strict only where Novu is.
	if elapsed < core.DefaultStepTimeout/2 || elapsed >= 5*time.Second {
		t.Errorf("answered after %v; want about %v and under Novu's 5s", elapsed, core.DefaultStepTimeout)
	}
}
