// The Cloudflare Worker module of an echofn bridge: it starts the Go
// program (bridge.wasm, built with GOOS=js GOARCH=wasm) once per isolate, in
// the first request, and passes it every request, one at a time.
//
// Why one at a time: in workerd every timer belongs to the request that set
// it, and a request may only be woken by its own events. Go's runtime wakes
// itself with a single JavaScript timer, set by whichever request happened
// to run Go last. With several requests inside Go at once, a goroutine of
// one request is resumed by another request's timer (or by none, once that
// request is over and its timers are dropped), and workerd cancels the
// waiting request as hung. So:
//   1. the gate (gate.mjs) admits one request into Go at a time: a turn;
//   2. at the start of each turn, Go's pending timer is moved to the
//      admitted request (set again for the time it had left), and the
//      callback of a timer set in an earlier turn does nothing;
//   3. every promise a request awaits is created by that request, and a
//      request only clears timers it set itself.
// Go code therefore only runs in the request that holds the turn, and only
// resolves that request's promise.

import "./wasm_exec.js";
import bridgeModule from "./bridge.wasm";
import { createGate, QueueTimeout } from "./gate.mjs";

// PROTOCOL must match the Go side (package cloudflare, Protocol).
const PROTOCOL = 1;
// Body limit used until Go has told its own (core.DefaultMaxBodyBytes).
const DEFAULT_MAX_BODY_BYTES = 5 << 20;
// How long a request may wait for Go's answer once in Go. Resolvers are
// bounded by the bridge's step timeout (4 s by default), so this only
// frees the gate if Go itself stops answering.
const ANSWER_TIMEOUT_MS = 30_000;
// How long a request may wait for its turn before it is answered 503.
const QUEUE_TIMEOUT_MS = 30_000;

let bridge = null; // the running Go program: { handle, maxBodyBytes, timers, exited }
// Why the Go program could not start, if so: a wrong build or a crash in
// its initialisation, which starting again would repeat, at a second or
// more of CPU each time. Every request gets it until the worker is
// deployed again.
let startFailure = null;
const gate = createGate({ queueTimeoutMs: QUEUE_TIMEOUT_MS });

export default {
  async fetch(request, env) {
    let input;
    try {
      input = await readRequest(request, bridge ? bridge.maxBodyBytes : DEFAULT_MAX_BODY_BYTES);
    } catch {
      return errorResponse(400, "Could not read the request body.");
    }
    let ticket;
    try {
      ticket = await gate.enter();
    } catch (err) {
      if (err instanceof QueueTimeout) {
        return errorResponse(503, `The bridge is busy: the request waited ${QUEUE_TIMEOUT_MS} ms for its turn.`, {
          "retry-after": "1",
        });
      }
      throw err;
    }
    try {
      if (bridge === null) {
        if (startFailure !== null) {
          throw startFailure;
        }
        try {
          bridge = await start(env);
        } catch (err) {
          startFailure = err;
          throw err;
        }
      }
      bridge.timers.adopt();
      const answer = await callGo(bridge, ticket, input);
      return toResponse(answer);
    } catch (err) {
      const message = err && err.message ? err.message : String(err);
      console.error("echofn: " + message);
      return errorResponse(500, "Unknown BridgeError: " + message);
    } finally {
      gate.leave(ticket);
    }
  },
};

// readRequest reads what Go needs of a request: the body as raw bytes (the
// signature covers the exact bytes received), at most limit of them.
async function readRequest(request, limit) {
  const url = new URL(request.url);
  let body = null;
  let oversized = false;
  if (request.body !== null) {
    const declared = request.headers.get("content-length");
    if (declared !== null && Number(declared) > limit) {
      oversized = true;
    } else if (declared !== null) {
      body = new Uint8Array(await request.arrayBuffer());
      oversized = body.byteLength > limit;
    } else {
      body = await readLimited(request.body, limit);
      oversized = body === null;
    }
    if (oversized) {
      body = null;
    }
  }
  // A Headers object lower-cases names and joins repeated headers.
  const head = JSON.stringify({
    method: request.method,
    query: url.search.slice(1),
    headers: [...request.headers],
    oversized,
  });
  return { head, body };
}

// readLimited reads a body of unknown length; null when longer than limit.
async function readLimited(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

// start runs the Go program until it registers its request handler. The
// worker's string bindings (vars and secrets) are its environment.
async function start(env) {
  const go = new globalThis.Go();
  go.argv = ["bridge.wasm"];
  go.env = {};
  for (const [name, value] of Object.entries(env || {})) {
    if (typeof value === "string") {
      go.env[name] = value;
    }
  }
  const timers = ownTimers(go);
  const started = { handle: null, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, timers, exited: false };
  let exitCode = null;
  go.exit = (code) => {
    exitCode = code;
    started.exited = true;
    if (bridge === started) {
      bridge = null; // the next request starts a new Go program
    }
    const holder = gate.holder();
    if (holder !== null && holder.fail) {
      holder.fail(new Error(`the Go program exited with code ${code}`));
    }
  };
  let refused = null;
  // Called by Go (package cloudflare): nothing may throw back into it.
  globalThis.__echofnRegister = (handle, info) => {
    let reg = null;
    try {
      reg = JSON.parse(info);
    } catch {
      // reported below
    }
    if (reg === null || reg.protocol !== PROTOCOL) {
      refused = `bridge.wasm speaks protocol ${reg && reg.protocol} and worker.mjs ${PROTOCOL}: build both with the same echofn version (build.sh)`;
      return;
    }
    started.handle = handle;
    started.maxBodyBytes = reg.maxBodyBytes;
  };
  const instance = await WebAssembly.instantiate(bridgeModule, go.importObject);
  let runError = null;
  // run() returns once main blocks (in cloudflare.Serve); its promise only
  // settles when Go exits, so it is not awaited.
  go.run(instance).catch((err) => {
    runError = err;
  });
  gate.alive();
  delete globalThis.__echofnRegister;
  if (refused !== null) {
    throw new Error(refused);
  }
  if (started.handle === null) {
    await new Promise((resolve) => setTimeout(resolve, 0)); // let run()'s rejection land
    if (runError) {
      throw new Error("the Go program could not start: " + runError.message);
    }
    if (exitCode !== null) {
      throw new Error(`the Go program exited with code ${exitCode} before serving (see the log above)`);
    }
    throw new Error("the Go program did not register a handler: its main must call cloudflare.Serve or cloudflare.Main");
  }
  return started;
}

// callGo passes one request to Go and resolves with its answer. The
// promise is created here, by the request that awaits it.
function callGo(b, ticket, input) {
  return new Promise((resolve, reject) => {
    let settled = false;
    // foreign: called from another request's context, where this
    // request's timer ids mean nothing (the guard then fires in vain).
    const settle = (fn, value, foreign = false) => {
      if (!settled) {
        settled = true;
        if (!foreign) {
          clearTimeout(guard);
        }
        fn(value);
      }
    };
    const guard = setTimeout(
      () => settle(reject, new Error(`the Go program did not answer within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
    ticket.fail = (err, foreign) => settle(reject, err, foreign);
    // An exception thrown back into Go would crash it: none leaves here.
    const bad = b.handle(input.head, input.body, (head, body) => {
      try {
        settle(resolve, { head: JSON.parse(head), body });
      } catch (err) {
        settle(reject, err);
      }
    });
    gate.alive();
    if (typeof bad === "string") {
      settle(reject, new Error(bad));
    }
  });
}

function toResponse(answer) {
  const nullBody = [101, 204, 205, 304].includes(answer.head.status);
  return new Response(nullBody ? null : answer.body, {
    status: answer.head.status,
    headers: answer.head.headers,
  });
}

function errorResponse(status, message, headers = {}) {
  return new Response(JSON.stringify({ message, code: "BridgeError" }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

// ownTimers replaces wasm_exec.js's timer functions with ones that follow
// the turns: a timer set for Go belongs to the request in Go at the time;
// adopt() moves a pending timer to the request now admitted, and a callback
// from a timer that was moved or cleared does nothing. Go keeps at most one
// such timer (its next wake-up).
function ownTimers(go) {
  const timers = new Map(); // Go's timeout id -> { due, owner, token, handle }
  let nextId = 1;
  const arm = (id, t, delay) => {
    const token = {};
    t.owner = gate.turn();
    t.token = token;
    t.handle = setTimeout(() => fire(id, t, token), delay);
  };
  const fire = (id, t, token) => {
    if (go.exited || timers.get(id) !== t || t.token !== token || t.owner !== gate.turn()) {
      return; // cleared, or moved to a later request
    }
    go._resume();
    gate.alive();
    // As wasm_exec.js does: Go clears the event when it handles it; if it
    // missed it, wake it again (golang/go#28975).
    while (timers.get(id) === t && !go.exited) {
      console.warn("scheduleTimeoutEvent: missed timeout event");
      go._resume();
    }
  };
  const imports = go.importObject.gojs;
  // func scheduleTimeoutEvent(delay int64) int32
  imports["runtime.scheduleTimeoutEvent"] = (sp) => {
    sp >>>= 0;
    const delay = go.mem.getUint32(sp + 8, true) + go.mem.getInt32(sp + 12, true) * 4294967296;
    const id = nextId++;
    const t = { due: Date.now() + delay, owner: 0, token: null, handle: null };
    timers.set(id, t);
    arm(id, t, delay);
    go.mem.setInt32(sp + 16, id, true);
  };
  // func clearTimeoutEvent(id int32)
  imports["runtime.clearTimeoutEvent"] = (sp) => {
    sp >>>= 0;
    const id = go.mem.getInt32(sp + 8, true);
    const t = timers.get(id);
    if (t) {
      timers.delete(id);
      if (t.owner === gate.turn()) {
        clearTimeout(t.handle); // only our own request's timer ids are ours to clear
      }
    }
  };
  return {
    adopt() {
      for (const [id, t] of timers) {
        if (t.owner !== gate.turn()) {
          arm(id, t, Math.max(0, t.due - Date.now()));
        }
      }
    },
  };
}
