// Tests of the gate (gate.mjs) under Node's test runner:
//   node --test --test-force-exit cloudflare-wasm/worker/gate.test.mjs
// The worker tests (workerd_test.go) run it inside workerd.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { createGate, QueueTimeout } from "./gate.mjs";

const quiet = () => {};

test("admits one request at a time, in order of arrival", async () => {
  const gate = createGate({ tickMs: 5, warn: quiet });
  let inside = 0;
  let most = 0;
  const order = [];
  const request = async (i) => {
    const t = await gate.enter();
    inside++;
    most = Math.max(most, inside);
    order.push(i);
    await sleep(10);
    inside--;
    gate.leave(t);
  };
  await Promise.all([0, 1, 2, 3, 4, 5].map(request));
  assert.equal(most, 1);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  assert.equal(gate.turn(), 6);
  assert.equal(gate.holder(), null);
  assert.equal(gate.waiting(), 0);
});

test("passes the turn on from a holder that stopped running", async () => {
  const warnings = [];
  const gate = createGate({ tickMs: 5, deadAfterMs: 60, warn: (m) => warnings.push(m) });
  const a = await gate.enter();
  const failed = [];
  a.fail = (err, foreign) => failed.push({ message: err.message, foreign });
  clearInterval(a.ticker); // as if workerd cancelled A's request: its timers stop
  const b = await gate.enter();
  assert.equal(gate.holder(), b);
  assert.deepEqual(failed, [{ message: "cancelled", foreign: true }]);
  assert.equal(warnings.length, 1);
  gate.leave(a); // a late leave of the dead holder changes nothing
  assert.equal(gate.holder(), b);
  gate.leave(b);
  assert.equal(gate.holder(), null);
});

test("answers QueueTimeout to a request that waited too long, and goes on", async () => {
  const gate = createGate({ tickMs: 5, queueTimeoutMs: 50, warn: quiet });
  const a = await gate.enter();
  await assert.rejects(gate.enter(), QueueTimeout);
  assert.equal(gate.waiting(), 0);
  gate.leave(a);
  const c = await gate.enter();
  assert.equal(gate.holder(), c);
  gate.leave(c);
});

test("does not take a holder that ran long without pause for dead", async () => {
  const warnings = [];
  const gate = createGate({ tickMs: 5, deadAfterMs: 50, warn: (m) => warnings.push(m) });
  const a = await gate.enter();
  const entered = gate.enter();
  await sleep(10); // b is in line
  const until = Date.now() + 150;
  while (Date.now() < until) {
    // a long synchronous run, as Go's start is
  }
  gate.alive();
  await sleep(20);
  assert.equal(gate.holder(), a);
  gate.leave(a);
  const b = await entered;
  assert.equal(gate.holder(), b);
  gate.leave(b);
  assert.deepEqual(warnings, []);
});

test("after a dead holder, the requests in line keep their order", async () => {
  const gate = createGate({ tickMs: 5, deadAfterMs: 40, warn: quiet });
  const a = await gate.enter();
  clearInterval(a.ticker); // cancelled
  const order = [];
  await Promise.all(
    [1, 2, 3].map(async (i) => {
      await sleep(i); // arrive in this order
      const t = await gate.enter();
      order.push(i);
      await sleep(5);
      gate.leave(t);
    }),
  );
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(gate.holder(), null);
});

test("does not take the holder for dead when the whole isolate stalled", async () => {
  const warnings = [];
  const gate = createGate({ tickMs: 5, deadAfterMs: 50, warn: (m) => warnings.push(m) });
  const a = await gate.enter();
  const entered = gate.enter();
  await sleep(10);
  for (let i = 0; i < 3; i++) {
    const until = Date.now() + 120; // no timer runs: as if the process were paused
    while (Date.now() < until) {
      // stalled
    }
    gate.sweep(); // a waiter's tick runs first after the stall
    await sleep(15); // then all timers run again
  }
  assert.equal(gate.holder(), a);
  gate.leave(a);
  const b = await entered;
  gate.leave(b);
  assert.deepEqual(warnings, []);
});
