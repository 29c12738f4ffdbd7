// Measures the Go program's own time per request, without workerd: it runs
// a built bridge.wasm in Node with wasm_exec.js and calls the handler that
// the program registers, as worker.mjs does, timing each call (requests
// whose resolvers do not wait on timers are answered within the call).
//
//   cloudflare-wasm/build.sh                       # the example worker
//   node cloudflare-wasm/bench/gotime.mjs [DIR] [N] [WARMUP]
//
// DIR is build.sh's output (default dist/cloudflare); N is the number of
// calls per request (default 2000); WARMUP is how many calls of each request
// come first, untimed, so that V8 has compiled the hot code with its
// optimising tier before the timed calls (default 500; 0 times from the
// start, compilation included). The requests are those of the example
// workflow ("welcome"/"send-email").
import { readFile } from "node:fs/promises";
import { createHmac } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = path.resolve(process.argv[2] ?? "dist/cloudflare");
const n = Number(process.argv[3] ?? 2000);
const warmup = Number(process.argv[4] ?? 500);
const secret = "sk_bench";

function sign(body) {
  const t = String(Date.now());
  const mac = createHmac("sha256", secret).update(`${t}.${body || "{}"}`).digest("hex");
  return `t=${t},v1=${mac}`;
}

function request(method, query, body) {
  const headers = [["novu-signature", sign(body)]];
  if (body) {
    headers.push(["content-type", "application/json"]);
  }
  return {
    head: JSON.stringify({ method, query, headers, oversized: false }),
    body: body ? new TextEncoder().encode(body) : null,
  };
}

const requests = {
  "health-check": request("GET", "action=health-check", ""),
  discover: request("GET", "action=discover", ""),
  execute: request(
    "POST",
    "action=execute&workflowId=welcome&stepId=send-email",
    JSON.stringify({ payload: { name: "Ada" }, controls: {}, state: [], subscriber: { subscriberId: "s1" } }),
  ),
};

await import(pathToFileURL(path.join(dir, "wasm_exec.js")).href);
const go = new globalThis.Go();
go.env = { NOVU_SECRET_KEY: secret };
let handle = null;
globalThis.__echofnRegister = (h) => {
  handle = h;
};
const bytes = await readFile(path.join(dir, "bridge.wasm"));
const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const t1 = performance.now();
const instance = await WebAssembly.instantiate(module, go.importObject);
go.run(instance);
const t2 = performance.now();
if (handle === null) {
  throw new Error("bridge.wasm did not register a handler");
}

function call(r) {
  let status = 0;
  handle(r.head, r.body, (head) => {
    status = JSON.parse(head).status;
  });
  return status;
}

const first = {};
for (const [name, r] of Object.entries(requests)) {
  const s = performance.now();
  const status = call(r);
  first[name] = performance.now() - s;
  if (status !== 200) {
    throw new Error(`${name}: status ${status} (is DIR a build of the example worker?)`);
  }
}

for (let i = 0; i < warmup; i++) {
  for (const r of Object.values(requests)) {
    call(r);
  }
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
console.log(`wasm compile ${(t1 - t0).toFixed(1)} ms, Go start (instantiate + main until Serve) ${(t2 - t1).toFixed(1)} ms`);
for (const [name, r] of Object.entries(requests)) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    call(r);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name}: first ${first[name].toFixed(3)} ms; then median ${pct(times, 50).toFixed(3)} ms, p99 ${pct(times, 99).toFixed(3)} ms over ${n} after ${warmup} untimed`,
  );
}
