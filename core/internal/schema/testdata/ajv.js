// Validates JSON lines {"schema":…,"data":…} read from standard input with
// Ajv configured as @novu/framework configures it, and prints one JSON line
// per case: {"compileError":"…"}, {"validateError":"…"} (Ajv threw while
// validating, as it does on a $ref cycle that consumes no data) or {"valid":…,"data":…,"errors":[{"path","message"},…]}, the errors as the SDK
// reports them.
// Schemas with "$id" get an Ajv instance of their own, so that no case sees
// another's ids; the others share one, as the SDK's schemas do, and each
// schema text is compiled once.
"use strict";
const path = require("path");
const readline = require("readline");

const tools = process.env.TOOLS || path.join(__dirname, "..", "..", "..", "..", ".tools");
const modules = path.join(tools, "reference", "node_modules");
const Ajv = require(path.join(modules, "ajv"));
const addFormats = require(path.join(modules, "ajv-formats"));

function newAjv() {
  const ajv = new Ajv({ useDefaults: true, removeAdditional: "failing", strict: false, logger: false });
  addFormats(ajv);
  return ajv;
}

const shared = newAjv();
const compiled = new Map();

function compile(text, schema) {
  if (!compiled.has(text)) {
    try {
      const ajv = text.includes('"$id"') ? newAjv() : shared;
      compiled.set(text, { validate: ajv.compile(schema) });
    } catch (e) {
      compiled.set(text, { error: String(e.message || e) });
    }
  }
  return compiled.get(text);
}

const out = [];
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const { schema, data } = JSON.parse(line);
  const { validate, error } = compile(JSON.stringify(schema), schema);
  if (error) {
    out.push(JSON.stringify({ compileError: error }));
    return;
  }
  const copy = structuredClone(data);
  let valid;
  try {
    valid = validate(copy);
  } catch (e) {
    out.push(JSON.stringify({ validateError: String(e.message || e) }));
    return;
  }
  const res = { valid, data: copy === undefined ? null : copy };
  if (!valid) {
    res.errors = validate.errors.map((e) => ({ path: e.instancePath, message: e.message }));
  }
  out.push(JSON.stringify(res));
});
lines.on("close", () => process.stdout.write(out.join("\n") + (out.length ? "\n" : "")));
