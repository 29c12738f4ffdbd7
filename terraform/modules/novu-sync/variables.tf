variable "stage" {
  description = "The stage whose bridge this is: development or production. It must match the Novu environment of the secret key."
  type        = string

  validation {
    condition     = contains(["development", "production"], var.stage)
    error_message = "The stage must be development or production."
  }
}

variable "bridge_url" {
  description = "Public URL of the deployed bridge, to tell the Novu environment."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/?#]+", var.bridge_url))
    error_message = "The bridge URL must be an http(s) URL."
  }
}

variable "code_version" {
  description = "Anything that changes when the deployed code changes (the platform module's code_version output): Novu discovers the workflows when it syncs, so new code is synced again. Null to sync only when the URL changes."
  type        = string
  default     = null
}

variable "novu_secret_key" {
  description = "Secret key of the stage's Novu environment; it chooses the environment that is synced. Passed to the sync command as NOVU_SECRET_KEY, never on its command line."
  type        = string
  sensitive   = true
}

variable "novu_api_url" {
  description = "Base URL of the Novu API (NOVU_API_URL of the sync command)."
  type        = string
  default     = "https://api.novu.co"
}

variable "enabled" {
  description = "Whether to sync: tell the Novu environment the bridge URL after each apply that changes it, the deployed code or the API URL."
  type        = bool
  default     = false
}

variable "confirm_environment" {
  description = "Explicit confirmation, needed when the secret key does not show its environment: the stage name (development or production), meaning \"this key is the key of that Novu environment\". Null when not confirming."
  type        = string
  default     = null
}

variable "command" {
  description = "The echofn CLI as a program and its leading arguments; `sync --bridge-url <url>` is appended. The default runs the CLI from the repository's source (needs Go), with working_dir at the repository root."
  type        = list(string)
  default     = ["go", "run", "./cmd/echofn"]

  validation {
    condition     = length(var.command) > 0
    error_message = "The command must name a program."
  }
}

variable "working_dir" {
  description = "Directory the sync command runs in; null is the directory Terraform runs in."
  type        = string
  default     = null
}
