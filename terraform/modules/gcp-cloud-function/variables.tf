variable "name" {
  description = "Name of the function (and of its service account, secrets and source bucket): 2 to 40 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,38}[a-z0-9]$", var.name))
    error_message = "The name must be 2 to 40 lower-case letters, digits or hyphens, start with a letter and end with a letter or digit."
  }
}

variable "project" {
  description = "Google Cloud project ID to deploy into."
  type        = string

  validation {
    condition     = var.project != null && var.project != ""
    error_message = "The Google Cloud project ID must be set (gcp_project in a stage)."
  }
}

variable "region" {
  description = "Region of the function and of its source bucket, such as europe-west1."
  type        = string
}

variable "source_archive_path" {
  description = "Path of the zip of the function's source directory (the layout `go run ./gcf/cmd/package` writes: the function's package at the root, with go.mod). Cloud Build builds it in the cloud."
  type        = string
}

variable "entry_point" {
  description = "Name under which the function's package registers its HTTP function (gcf.EntryPoint)."
  type        = string
  default     = "NovuBridge"
}

variable "runtime" {
  description = "Cloud Functions Go runtime that builds the source; its Go version must satisfy the go directive of the source's go.mod."
  type        = string
  default     = "go126"

  validation {
    condition     = can(regex("^go1[0-9]{2}$", var.runtime))
    error_message = "The runtime must be a Go runtime such as go126."
  }
}

variable "available_memory" {
  description = "Memory of each instance (Cloud Run notation, such as 256M or 1Gi)."
  type        = string
  default     = "256M"
}

variable "timeout_seconds" {
  description = "Time limit of one request in seconds. Novu gives up on a bridge call after 5 seconds, so work past that is wasted."
  type        = number
  default     = 5

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 3600
    error_message = "The timeout must be 1 to 3600 seconds."
  }
}

variable "min_instance_count" {
  description = "Instances kept warm. 0 costs nothing when idle but lets a cold start eat into Novu's 5-second budget; 1 avoids that."
  type        = number
  default     = 0
}

variable "max_instance_count" {
  description = "Upper bound on instances, which caps cost under a flood of calls."
  type        = number
  default     = 10
}

variable "max_instance_request_concurrency" {
  description = "Requests one instance serves at a time (Go serves many concurrently). Above 1, Cloud Run requires at least one vCPU (var.available_cpu)."
  type        = number
  default     = 20
}

variable "available_cpu" {
  description = "vCPUs of each instance, as Cloud Run writes them (\"1\", \"2\", or a fraction such as \"0.5\" when the concurrency is 1)."
  type        = string
  default     = "1"
}

variable "build_service_account" {
  description = "Full resource name of the service account Cloud Build builds the function with (projects/P/serviceAccounts/EMAIL); null uses the project's default."
  type        = string
  default     = null
}

variable "route" {
  description = "Path appended to the function's URL to form the bridge URL (the function answers on every path)."
  type        = string
  default     = "/api/novu"

  validation {
    condition     = can(regex("^/[A-Za-z0-9/_.-]*$", var.route))
    error_message = "The route must be a path starting with /."
  }
}

variable "source_bucket_name" {
  description = "Name of the bucket created to hold source archives; null derives it from the project and the function name."
  type        = string
  default     = null
}

variable "enable_apis" {
  description = "Whether to enable the Google APIs the function needs (Cloud Functions, Cloud Run, Cloud Build, Artifact Registry, Secret Manager, Cloud Storage). They are left enabled on destroy."
  type        = bool
  default     = true
}

variable "novu_secret_key" {
  description = "Secret key of the Novu environment this bridge serves. Stored in Secret Manager (and in Terraform state) and mounted as NOVU_SECRET_KEY; never a plain environment variable."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.novu_secret_key) > 0
    error_message = "The Novu secret key must not be empty."
  }
}

variable "novu_secret_key_fallback" {
  description = "Optional second secret key that the bridge also accepts, for rotating keys without downtime (NOVU_SECRET_KEY_FALLBACK). Null when not rotating."
  type        = string
  default     = null
  sensitive   = true
}

variable "novu_api_url" {
  description = "Base URL of the Novu API for this environment; given to the bridge as NOVU_API_URL."
  type        = string
  default     = "https://api.novu.co"
}

variable "environment_variables" {
  description = "Extra environment variables of the function (no secrets here)."
  type        = map(string)
  default     = {}
}

variable "labels" {
  description = "Labels added to the resources that take them."
  type        = map(string)
  default     = {}
}
