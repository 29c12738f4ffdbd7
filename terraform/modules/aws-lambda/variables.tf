variable "name" {
  description = "Name of the function; also names its IAM role, log group, HTTP API and the Parameter Store path of its secrets. Letters, digits, hyphens and underscores, at most 56 characters."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,56}$", var.name))
    error_message = "The name must be 1 to 56 letters, digits, hyphens or underscores."
  }
}

variable "bootstrap_zip_path" {
  description = "Path of the zip holding the bridge's bootstrap executable for the provided.al2023 runtime, as `go run ./lambda/cmd/package` writes it (dist/lambda/bootstrap-<arch>.zip). Its architecture must match var.architecture."
  type        = string
}

variable "architecture" {
  description = "Instruction set of the function: arm64 (Graviton, the cheaper per millisecond) or x86_64. The zip must be built for it (GOARCH arm64 or amd64)."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB. Lambda gives CPU in proportion to memory: 256 MB starts a Go bootstrap and answers within Novu's 5-second call budget with room to spare; raise it for heavy step resolvers."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "Lambda memory must be 128 to 10240 MB."
  }
}

variable "timeout" {
  description = "Time limit of one invocation in seconds. Novu gives up on a bridge call after 5 seconds, so work past that is wasted: keep it at 5 or a little more. The HTTP API's integration timeout follows it (plus one second)."
  type        = number
  default     = 5

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 29
    error_message = "The timeout must be 1 to 29 seconds (the HTTP API's integration limit is 30)."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the function; -1 leaves it unreserved and uncapped."
  type        = number
  default     = -1
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the function's logs."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The retention must be one that CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days)."
  }
}

variable "route" {
  description = "Path at which the HTTP API serves the bridge; the bridge URL ends with it."
  type        = string
  default     = "/api/novu"

  validation {
    condition     = can(regex("^/[A-Za-z0-9/_.-]*$", var.route))
    error_message = "The route must be a path starting with /."
  }
}

variable "throttling_burst_limit" {
  description = "Burst limit of the HTTP API's default route (requests)."
  type        = number
  default     = 100
}

variable "throttling_rate_limit" {
  description = "Steady-state rate limit of the HTTP API's default route (requests per second)."
  type        = number
  default     = 50
}

variable "novu_secret_key" {
  description = "Secret key of the Novu environment this bridge serves. Stored as a SecureString in Parameter Store (and in Terraform state); the function reads it at start-up, it is never in the function's configuration."
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
  description = "Base URL of the Novu API for this environment (https://api.novu.co, https://eu.api.novu.co, or a self-hosted one); given to the bridge as NOVU_API_URL."
  type        = string
  default     = "https://api.novu.co"
}

variable "kms_key_arn" {
  description = "ARN of a customer-managed KMS key to encrypt the secret parameters with; null uses the AWS-managed aws/ssm key (then no KMS permission is needed)."
  type        = string
  default     = null
}

variable "environment_variables" {
  description = "Extra environment variables of the function (no secrets here: they are visible in its configuration)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
