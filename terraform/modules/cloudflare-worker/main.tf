# A Novu bridge as a Cloudflare Worker running Go compiled to WebAssembly.
#
# Provider v5's cloudflare_workers_script cannot upload a .wasm module, so
# the Worker is made of three resources: the Worker itself, an immutable
# version holding every module (worker.mjs, gate.mjs, wasm_exec.js,
# bridge.wasm: each file of worker_dir with a known extension) and the
# bindings, and a deployment sending all traffic to that version. The
# secret key is a secret_text binding of the version.

locals {
  has_fallback = nonsensitive(var.novu_secret_key_fallback != null)
  module_files = sort(tolist(fileset(var.worker_dir, "*.{${join(",", keys(var.content_types))}}")))
  modules      = { for f in local.module_files : f => var.content_types[regex("[^.]+$", f)] }
  # The modules' digest names the version, so that new content always makes
  # a new version (and shows which build is live in the dashboard).
  content_digest = sha256(join("\n", [for f in local.module_files : "${f} ${filesha256("${var.worker_dir}/${f}")}"]))
  origin         = var.custom_domain != null ? "https://${var.custom_domain}" : "https://${var.name}.${coalesce(var.workers_dev_subdomain, "-")}.workers.dev"
  plain_bindings = merge(var.vars, { NOVU_API_URL = var.novu_api_url })
}

resource "cloudflare_worker" "this" {
  account_id = var.account_id
  name       = var.name

  subdomain = {
    enabled          = var.custom_domain == null
    previews_enabled = false
  }

  observability = {
    enabled = var.logs_enabled
    logs = {
      enabled         = var.logs_enabled
      invocation_logs = var.logs_enabled
    }
  }

  lifecycle {
    precondition {
      condition     = var.custom_domain != null || var.workers_dev_subdomain != null
      error_message = "Set workers_dev_subdomain (the account's <sub>.workers.dev) or custom_domain, so that the bridge has a URL."
    }
    precondition {
      condition     = var.custom_domain == null || var.zone_id != null
      error_message = "custom_domain needs zone_id, the zone that holds it."
    }
    precondition {
      condition     = contains(local.module_files, var.main_module)
      error_message = "worker_dir holds no ${var.main_module}: build it first (cloudflare-wasm/build.sh)."
    }
  }
}

resource "cloudflare_worker_version" "this" {
  account_id         = var.account_id
  worker_id          = cloudflare_worker.this.id
  compatibility_date = var.compatibility_date
  main_module        = var.main_module

  modules = [for f in local.module_files : {
    name         = f
    content_type = local.modules[f]
    content_file = "${var.worker_dir}/${f}"
  }]

  bindings = concat(
    [for k in sort(keys(local.plain_bindings)) : { type = "plain_text", name = k, text = local.plain_bindings[k] }],
    [{ type = "secret_text", name = "NOVU_SECRET_KEY", text = var.novu_secret_key }],
    local.has_fallback ? [{ type = "secret_text", name = "NOVU_SECRET_KEY_FALLBACK", text = var.novu_secret_key_fallback }] : [],
  )

  annotations = {
    workers_message = "echofn ${substr(local.content_digest, 0, 16)}"
  }
}

resource "cloudflare_workers_deployment" "this" {
  account_id  = var.account_id
  script_name = cloudflare_worker.this.name
  strategy    = "percentage"

  versions = [{
    version_id = cloudflare_worker_version.this.id
    percentage = 100
  }]
}

resource "cloudflare_workers_custom_domain" "this" {
  count = var.custom_domain != null ? 1 : 0

  account_id = var.account_id
  zone_id    = var.zone_id
  hostname   = var.custom_domain
  service    = cloudflare_worker.this.name

  depends_on = [cloudflare_workers_deployment.this]
}
