variable "name" {
  description = "Name of the Worker: lower-case letters, digits and hyphens, at most 63 characters. On workers.dev the bridge answers at https://<name>.<workers_dev_subdomain>.workers.dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "The name must be 1 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen."
  }
}

variable "account_id" {
  description = "Cloudflare account ID that owns the Worker."
  type        = string

  validation {
    condition     = var.account_id != null && var.account_id != ""
    error_message = "The Cloudflare account ID must be set (cloudflare_account_id in a stage)."
  }
}

variable "worker_dir" {
  description = "Folder that cloudflare-wasm/build.sh writes (dist/cloudflare): the worker module and the modules it imports, Go's wasm_exec.js and the bridge's .wasm, uploaded together as one version."
  type        = string
}

variable "main_module" {
  description = "File name, in worker_dir, of the main (ES) module, the one exporting the fetch handler."
  type        = string
  default     = "worker.mjs"
}

variable "content_types" {
  description = "Module content type by file extension: every file of worker_dir with one of these extensions is uploaded as a module of the version (the worker module, modules it imports such as gate.mjs and wasm_exec.js, and the .wasm); other files (wrangler.toml, workerd.capnp) are not."
  type        = map(string)
  default = {
    mjs  = "application/javascript+module"
    js   = "application/javascript+module"
    wasm = "application/wasm"
  }

  validation {
    condition     = alltrue([for t in values(var.content_types) : contains(["application/javascript+module", "application/javascript", "application/wasm", "text/plain", "application/octet-stream", "application/source-map"], t)])
    error_message = "Each content type must be one Workers accepts (application/javascript+module, application/javascript, application/wasm, text/plain, application/octet-stream or application/source-map)."
  }
}

variable "compatibility_date" {
  description = "Workers runtime compatibility date; keep it equal to the one in cloudflare-wasm/worker/wrangler.toml, which the worker is tested with."
  type        = string
  default     = "2026-11-01"

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", var.compatibility_date))
    error_message = "The compatibility date must be written YYYY-MM-DD."
  }
}

variable "workers_dev_subdomain" {
  description = "The account's workers.dev subdomain (the <sub> of <sub>.workers.dev, shown in the dashboard under Workers & Pages). Used for the bridge URL when no custom domain is set; null when custom_domain is set."
  type        = string
  default     = null
}

variable "custom_domain" {
  description = "Optional host name (in a zone of the account) that serves the Worker, such as bridge.example.com; null serves it on workers.dev only."
  type        = string
  default     = null
}

variable "zone_id" {
  description = "ID of the zone holding custom_domain; required with it."
  type        = string
  default     = null
}

variable "route" {
  description = "Path appended to the Worker's origin to form the bridge URL (the Worker answers on every path)."
  type        = string
  default     = "/api/novu"

  validation {
    condition     = can(regex("^/[A-Za-z0-9/_.-]*$", var.route))
    error_message = "The route must be a path starting with /."
  }
}

variable "logs_enabled" {
  description = "Whether Workers Logs keeps the Worker's console output and invocation logs."
  type        = bool
  default     = true
}

variable "novu_secret_key" {
  description = "Secret key of the Novu environment this bridge serves; bound to the Worker as the secret NOVU_SECRET_KEY (and kept in Terraform state)."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.novu_secret_key) > 0
    error_message = "The Novu secret key must not be empty."
  }
}

variable "novu_secret_key_fallback" {
  description = "Optional second secret key that the bridge also accepts, for rotating keys without downtime (secret binding NOVU_SECRET_KEY_FALLBACK). Null when not rotating."
  type        = string
  default     = null
  sensitive   = true
}

variable "novu_api_url" {
  description = "Base URL of the Novu API for this environment; bound as the plain-text variable NOVU_API_URL."
  type        = string
  default     = "https://api.novu.co"
}

variable "vars" {
  description = "Extra plain-text variables of the Worker, which the Go program sees as its environment (no secrets here)."
  type        = map(string)
  default     = {}
}
