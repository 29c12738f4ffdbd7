// Extracts the parts of provider schemas that terraform/ uses from the
// prebuilt CDKTF provider packages (each generated from one stated provider
// version) and prints them as one compact JSON document.
//
// Usage: node extract.mjs <node_modules dir> <terraform dir>
//
// Every resource and data source type named in a .tf file under the
// terraform dir is extracted, with each provider's configuration block and
// the names of all of its resource and data source types (so that a test can
// tell a misspelt type from one that merely needs regenerating).
//
// The packages carry the schema in two places: the .jsii manifest says which
// arguments are optional, and the generated JavaScript (synthesizeHclAttributes
// and the *ToHclTerraform functions) gives the Terraform names and shapes:
//   listMapperHcl(fn, true)           repeatable nested block (list or set)
//   fn(...) with type "list"/"set"    nested block of at most one item
//   listMapperHcl(fn, false)          attribute holding a list/set of objects
//   hashMapperHcl(fn)                 attribute holding a map of objects
//   fn(...) with type "struct"        a single nested object: a block in the
//                                     SDKv2-style providers (aws, google: these
//                                     are timeouts blocks, bar a few), an
//                                     attribute in cloudflare v5
// Attributes that the generated getters read but the configuration cannot
// set are recorded as computed.
import fs from "node:fs";
import path from "node:path";

const PROVIDERS = [
  { local: "aws", pkg: "@cdktf/provider-aws", structIsAttribute: false },
  { local: "google", pkg: "@cdktf/provider-google", structIsAttribute: false },
  { local: "cloudflare", pkg: "@cdktf/provider-cloudflare", structIsAttribute: true },
];

const [nodeModules, tfDir] = process.argv.slice(2);
if (!nodeModules || !tfDir) {
  console.error("usage: node extract.mjs <node_modules dir> <terraform dir>");
  process.exit(2);
}

// Types used by the configuration.
function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name === "testdata") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".tf")) out.push(p);
  }
  return out;
}
const used = { resource: new Set(), data: new Set() };
for (const f of walk(tfDir, [])) {
  const src = fs.readFileSync(f, "utf8");
  for (const m of src.matchAll(/^\s*(resource|data)\s+"([a-z0-9_]+)"/gm)) used[m[1]].add(m[2]);
}

function primitiveType(kind, storage) {
  const base = { string: "string", number: "number", boolean: "bool" };
  if (kind === "simple") return base[storage] ?? "dynamic";
  const m = /^(string|number|boolean|any)(List|Map)$/.exec(storage);
  if (m) {
    const elem = base[m[1]] ?? "dynamic";
    if (m[2] === "Map") return `map(${elem})`;
    return `${kind === "set" ? "set" : "list"}(${elem})`;
  }
  if (/List$/.test(storage) && /^(string|number|boolean)ListList$/.test(storage)) {
    return `list(list(${base[storage.replace(/ListList$/, "")]}))`;
  }
  return "dynamic";
}

function loadProvider(p) {
  const dir = path.join(nodeModules, p.pkg);
  const pj = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const jsii = JSON.parse(fs.readFileSync(path.join(dir, ".jsii"), "utf8"));
  const provider = pj.cdktf.provider;
  const byName = new Map();
  for (const t of Object.values(jsii.types)) byName.set(`${t.namespace}.${t.name}`, t);

  // Index every generated file: classes, their source text, struct functions.
  const files = new Map(); // tf type or "provider" -> {js, cls, ns, kind}
  const resourceTypes = [];
  const dataTypes = [];
  const libDir = path.join(dir, "lib");
  for (const d of fs.readdirSync(libDir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const f = path.join(libDir, d.name, "index.js");
    if (!fs.existsSync(f)) continue;
    const js = fs.readFileSync(f, "utf8");
    const cm = /^class (\w+) extends cdktf\.(TerraformResource|TerraformDataSource|TerraformProvider) /m.exec(js);
    if (!cm) continue;
    const tm = new RegExp(`^${cm[1]}\\.tfResourceType = "([^"]+)";`, "m").exec(js);
    if (!tm) continue;
    const jt = [...byName.values()].find((t) => t.name === cm[1] && t.kind === "class" && t.fqn.startsWith(p.pkg + "."));
    const entry = { js, cls: cm[1], ns: jt?.namespace, kind: cm[2] };
    if (cm[2] === "TerraformProvider") files.set("provider", entry);
    else if (cm[2] === "TerraformResource") { resourceTypes.push(tm[1]); files.set("resource:" + tm[1], entry); }
    else { dataTypes.push(tm[1]); files.set("data:" + tm[1], entry); }
  }

  function classBody(js, name) {
    const start = js.search(new RegExp(`^class ${name} extends `, "m"));
    if (start < 0) return "";
    const end = js.indexOf(`\nexports.${name} = ${name};`, start);
    return js.slice(start, end < 0 ? undefined : end);
  }

  // readable attributes of a class: name -> {type} for values, or
  // {ref, nesting} for nested objects (the class of their reference)
  const GETTER_TYPES = {
    String: "string", Number: "number", Boolean: "bool", List: "list(string)", NumberList: "list(number)",
    StringMap: "map(string)", NumberMap: "map(number)", BooleanMap: "map(bool)", AnyMap: "map(dynamic)",
  };
  function readable(body) {
    const names = new Map();
    for (const m of body.matchAll(/\.get(\w*)Attribute\('([^']+)'\)/g)) if (!names.has(m[2])) names.set(m[2], { type: GETTER_TYPES[m[1]] ?? "dynamic" });
    for (const m of body.matchAll(/\.interpolationForAttribute\('([^']+)'\)/g)) if (!names.has(m[1])) names.set(m[1], { type: "dynamic" });
    for (const m of body.matchAll(/new (\w+?)(OutputReference|List|Map)\(this, "([^"]+)"(?:, (true|false))?\)/g)) {
      const nesting = m[2] === "OutputReference" ? "single" : m[2] === "Map" ? "map" : m[4] === "true" ? "set" : "list";
      names.set(m[3], { ref: m[1], nesting });
    }
    return names;
  }

  function requiredFlags(ns, structName) {
    const t = byName.get(`${ns}.${structName}`);
    const flags = new Map();
    if (!t) return flags;
    for (const prop of t.properties ?? []) {
      const doc = `${prop.docs?.summary ?? ""} ${prop.docs?.remarks ?? ""}`;
      const m = /#([A-Za-z0-9_]+) \w+#/.exec(doc);
      if (m) flags.set(m[1], !prop.optional);
    }
    return flags;
  }

  function parseAttrs(text) {
    const out = [];
    const re = /\n\s+"?([A-Za-z0-9_-]+)"?: \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\}/g;
    for (const m of text.matchAll(re)) out.push({ name: m[1], value: m[2], kind: m[4], storage: m[5] });
    return out;
  }

  function structAttrsText(js, fnName) {
    const start = js.indexOf(`function ${fnName}(struct) {`);
    if (start < 0) throw new Error(`${p.pkg}: no ${fnName}`);
    const end = js.indexOf("// remove undefined attributes", start);
    return js.slice(start, end);
  }

  function block(js, ns, attrsText, structName, readableNames, depth) {
    const req = requiredFlags(ns, structName);
    const res = { attributes: {}, blocks: {} };
    for (const a of parseAttrs(attrsText)) {
      const local = /^(?:cdktf\.(listMapperHcl|hashMapperHcl)\()?(\w+)ToHclTerraform(?:, (true|false))?\)?/.exec(a.value);
      const isPrimitive = a.value.startsWith("cdktf.") && !/^cdktf\.(listMapperHcl|hashMapperHcl)\((?!cdktf\.)/.test(a.value);
      const required = req.get(a.name) === true;
      if (isPrimitive || !local) {
        const attr = { type: primitiveType(a.kind, a.storage) };
        if (required) attr.required = true; else attr.optional = true;
        res.attributes[a.name] = attr;
        continue;
      }
      const fn = local[2] + "ToHclTerraform";
      const sub = local[2].charAt(0).toUpperCase() + local[2].slice(1);
      const nestedReadable = readable(classBody(js, sub + "OutputReference"));
      const nested = depth > 12 ? { attributes: {}, blocks: {} } : block(js, ns, structAttrsText(js, fn), sub, nestedReadable, depth + 1);
      const mapper = local[1];
      const repeat = local[3];
      if (mapper === "hashMapperHcl") {
        res.attributes[a.name] = { type: "map(object)", [required ? "required" : "optional"]: true, nesting: "map", nested };
      } else if (mapper === "listMapperHcl" && repeat === "false") {
        res.attributes[a.name] = { type: `${a.kind}(object)`, [required ? "required" : "optional"]: true, nesting: a.kind, nested };
      } else if (mapper === "listMapperHcl") {
        res.blocks[a.name] = { nesting: a.kind, ...(required ? { required: true } : {}), block: nested };
      } else if (a.kind === "struct" && p.structIsAttribute) {
        res.attributes[a.name] = { type: "object", [required ? "required" : "optional"]: true, nesting: "single", nested };
      } else if (a.kind === "struct") {
        res.blocks[a.name] = { nesting: "single", ...(required ? { required: true } : {}), block: nested };
      } else {
        res.blocks[a.name] = { nesting: a.kind, max_items: 1, ...(required ? { required: true } : {}), block: nested };
      }
    }
    for (const [name, r] of readableNames) {
      if (res.attributes[name] || res.blocks[name]) continue;
      res.attributes[name] = computedAttr(js, r, depth);
    }
    return res;
  }

  // computedAttr describes an attribute that can be read, not set.
  function computedAttr(js, r, depth) {
    if (!r.ref) return { type: r.type, computed: true };
    const nested = { attributes: {}, blocks: {} };
    if (depth < 8) {
      for (const [n, sub] of readable(classBody(js, r.ref + "OutputReference"))) nested.attributes[n] = computedAttr(js, sub, depth + 1);
    }
    const type = { single: "object", list: "list(object)", set: "set(object)", map: "map(object)" }[r.nesting];
    return { type, computed: true, nesting: r.nesting, nested };
  }

  function top(entry) {
    const body = classBody(entry.js, entry.cls);
    const start = body.indexOf("synthesizeHclAttributes() {");
    const end = body.indexOf("// remove undefined attributes", start);
    const text = body.slice(start, end);
    return block(entry.js, entry.ns, text, entry.cls + "Config", readable(body), 0);
  }

  const out = {
    // "host/namespace/type" -> "namespace/type"
    source: provider.name.split("/").slice(-2).join("/"),
    version: provider.version,
    package: `${p.pkg}@${pj.version}`,
    provider: top(files.get("provider")),
    resources: {},
    data_sources: {},
    resource_types: resourceTypes.sort(),
    data_source_types: dataTypes.sort(),
  };
  // the provider meta-argument alias is not part of the provider's schema
  delete out.provider.attributes.alias;
  for (const t of [...used.resource].sort()) {
    if (!t.startsWith(p.local + "_")) continue;
    const e = files.get("resource:" + t);
    if (e) out.resources[t] = top(e);
  }
  for (const t of [...used.data].sort()) {
    if (!t.startsWith(p.local + "_")) continue;
    const e = files.get("data:" + t);
    if (e) out.data_sources[t] = top(e);
  }
  return out;
}

const doc = { providers: {} };
for (const p of PROVIDERS) doc.providers[p.local] = loadProvider(p);
process.stdout.write(JSON.stringify(doc, null, 1) + "\n");
