# workerd configuration to run the built worker locally, from
# dist/cloudflare/ (build.sh copies this file there):
#
#   NOVU_SECRET_KEY=sk_... workerd serve workerd.capnp
#
# It listens on 127.0.0.1:8787; --socket-addr http=127.0.0.1:PORT changes it.
# The bindings are read from the environment, as `wrangler secret put` sets
# them in a deployed worker.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "bridge", worker = .bridge)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "bridge")],
);

const bridge :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "wasm_exec.js", esModule = embed "wasm_exec.js"),
    (name = "gate.mjs", esModule = embed "gate.mjs"),
    (name = "bridge.wasm", wasm = embed "bridge.wasm"),
  ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "NOVU_SECRET_KEY", fromEnvironment = "NOVU_SECRET_KEY"),
    (name = "NOVU_SECRET_KEY_FALLBACK", fromEnvironment = "NOVU_SECRET_KEY_FALLBACK"),
    (name = "ECHOFN_DEV_MODE", fromEnvironment = "ECHOFN_DEV_MODE"),
    (name = "ECHOFN_STEP_TIMEOUT", fromEnvironment = "ECHOFN_STEP_TIMEOUT"),
    (name = "ECHOFN_MAX_BODY_BYTES", fromEnvironment = "ECHOFN_MAX_BODY_BYTES"),
    (name = "ECHOFN_MAX_BODY_BYTES_IN_FLIGHT", fromEnvironment = "ECHOFN_MAX_BODY_BYTES_IN_FLIGHT"),
    (name = "ECHOFN_MAX_OVERRUNNING_STEPS", fromEnvironment = "ECHOFN_MAX_OVERRUNNING_STEPS"),
  ],
);
