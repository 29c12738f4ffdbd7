# ---- Platform and naming ----------------------------------------------------

variable "platform" {
  description = "Where the bridge runs: aws (Lambda behind an HTTP API), gcp (Cloud Functions 2nd gen) or cloudflare (Workers)."
  type        = string

  validation {
    condition     = contains(["aws", "gcp", "cloudflare"], var.platform)
    error_message = "The platform must be aws, gcp or cloudflare."
  }
}

variable "name_prefix" {
  description = "First part of every resource name; the stage name follows it (echofn-development)."
  type        = string
  default     = "echofn"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,20}$", var.name_prefix))
    error_message = "The name prefix must be 1 to 21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags (AWS) or labels (Google Cloud) added to every resource, besides app, stage and managed-by."
  type        = map(string)
  default     = {}
}

variable "dist_dir" {
  description = "Folder holding the build outputs (lambda/, gcf/, cloudflare/); null is the repository's dist/ folder, where the build commands write."
  type        = string
  default     = null
}

# ---- Novu --------------------------------------------------------------------

variable "novu_secret_key" {
  description = "Secret key of the Novu Development environment (dashboard, API Keys). Set it with TF_VAR_novu_secret_key or a git-ignored .tfvars file; it ends up in the platform's secret store and in Terraform state."
  type        = string
  sensitive   = true
}

variable "novu_secret_key_fallback" {
  description = "The previous (or next) secret key of the Novu Development environment, also accepted while keys are rotated (NOVU_SECRET_KEY_FALLBACK); null otherwise."
  type        = string
  default     = null
  sensitive   = true
}

variable "novu_api_url" {
  description = "Novu API of the Development environment: https://api.novu.co, https://eu.api.novu.co for EU accounts, or a self-hosted API."
  type        = string
  default     = "https://api.novu.co"
}

variable "sync_enabled" {
  description = "Whether to sync after apply: run `echofn sync` so that the Novu Development environment uses the deployed bridge URL."
  type        = bool
  default     = false
}

variable "sync_confirm_environment" {
  description = "Confirms, for a secret key that does not show its environment, that it is the Development environment's: set it to \"development\" to sync. Null otherwise."
  type        = string
  default     = null
}

variable "sync_command" {
  description = "The echofn CLI to sync with, as a program and leading arguments (run from the repository root). The default builds it from source with Go; [\"echofn\"] uses an installed one."
  type        = list(string)
  default     = ["go", "run", "./cmd/echofn"]
}

# ---- AWS Lambda (platform = "aws") --------------------------------------------

variable "aws_region" {
  description = "AWS region of the bridge."
  type        = string
  default     = "us-east-1"
}

variable "aws_lambda_architecture" {
  description = "arm64 or x86_64; the zip at aws_lambda_zip_path must be built for it."
  type        = string
  default     = "arm64"
}

variable "aws_lambda_zip_path" {
  description = "Zip of the bootstrap executable; null is <dist_dir>/lambda/bootstrap-<arm64|amd64>.zip, which `go run ./lambda/cmd/package` writes."
  type        = string
  default     = null
}

variable "aws_lambda_memory_size" {
  description = "Memory (and so CPU) of the function in MB."
  type        = number
  default     = 256
}

variable "aws_lambda_timeout" {
  description = "Time limit of one invocation in seconds (Novu waits 5)."
  type        = number
  default     = 5
}

variable "log_retention_days" {
  description = "Days the platform keeps the bridge's logs (AWS CloudWatch Logs)."
  type        = number
  default     = 14
}

# ---- Google Cloud Functions (platform = "gcp") ---------------------------------

variable "gcp_project" {
  description = "Google Cloud project ID; required when platform is gcp."
  type        = string
  default     = null
}

variable "gcp_region" {
  description = "Google Cloud region of the function."
  type        = string
  default     = "us-central1"
}

variable "gcp_source_zip_path" {
  description = "Zip of the function's source directory; null is <dist_dir>/gcf/source.zip."
  type        = string
  default     = null
}

variable "gcp_runtime" {
  description = "Cloud Functions Go runtime that builds the source."
  type        = string
  default     = "go126"
}

variable "gcp_available_memory" {
  description = "Memory of each function instance (such as 256M)."
  type        = string
  default     = "256M"
}

variable "gcp_min_instance_count" {
  description = "Function instances kept warm (0 scales to zero and pays cold starts)."
  type        = number
  default     = 0
}

variable "gcp_max_instance_count" {
  description = "Upper bound on function instances."
  type        = number
  default     = 5
}

# ---- Cloudflare Workers (platform = "cloudflare") ------------------------------

variable "cloudflare_api_token" {
  description = "Cloudflare API token allowed to edit Workers (and the zone's Workers routes with a custom domain); null reads CLOUDFLARE_API_TOKEN."
  type        = string
  default     = null
  sensitive   = true
}

variable "cloudflare_account_id" {
  description = "Cloudflare account ID; required when platform is cloudflare."
  type        = string
  default     = null
}

variable "cloudflare_workers_dev_subdomain" {
  description = "The account's workers.dev subdomain, for the bridge URL https://<name>.<subdomain>.workers.dev; null when a custom domain is used."
  type        = string
  default     = null
}

variable "cloudflare_custom_domain" {
  description = "Optional host name serving the Worker (such as bridge.example.com)."
  type        = string
  default     = null
}

variable "cloudflare_zone_id" {
  description = "Zone ID of cloudflare_custom_domain."
  type        = string
  default     = null
}

variable "cloudflare_worker_dir" {
  description = "Folder with worker.mjs, wasm_exec.js and bridge.wasm; null is <dist_dir>/cloudflare, which cloudflare-wasm/build.sh writes."
  type        = string
  default     = null
}
