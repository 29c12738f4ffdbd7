# Tells a Novu environment where its bridge is (`echofn sync`), after the
# bridge is deployed, and guards against syncing the wrong environment.
#
# A key that shows its environment must belong to the stage: a key starting
# sk_live_ or sk_prod_ is a Production key and is refused in development,
# and one starting sk_test_ or sk_dev_ is a Development key and is refused
# in production, whether or not syncing is on. Novu's own keys show nothing,
# so syncing them needs confirm_environment set to the stage's name.

locals {
  # Only which environment the key shows is revealed, never the key.
  production_key  = nonsensitive(length(regexall("^sk_(live|prod)_", var.novu_secret_key)) > 0)
  development_key = nonsensitive(length(regexall("^sk_(test|dev)_", var.novu_secret_key)) > 0)
  key_environment = local.production_key ? "production" : local.development_key ? "development" : null
  confirmed       = local.key_environment == var.stage || var.confirm_environment == var.stage
}

resource "terraform_data" "environment_guard" {
  input = var.stage

  lifecycle {
    precondition {
      condition     = local.key_environment == null || local.key_environment == var.stage
      error_message = "This is a ${coalesce(local.key_environment, "?")} secret key, but the ${var.stage} stage: each stage takes its own Novu environment's key."
    }
  }
}

resource "terraform_data" "sync" {
  count = var.enabled ? 1 : 0

  # Sync again whenever the bridge moves, its code changes (Novu learns the
  # workflows when it syncs) or the API changes.
  triggers_replace = [var.bridge_url, var.novu_api_url, var.code_version]

  lifecycle {
    precondition {
      condition     = local.confirmed
      error_message = "Syncing needs confirmation: the secret key does not show its Novu environment, so set confirm_environment = \"${var.stage}\" if it is the key of the ${var.stage} environment."
    }
  }

  provisioner "local-exec" {
    # No shell: the program and its arguments are passed as they are, and
    # the URL is the last argument.
    interpreter = concat(var.command, ["sync", "--bridge-url"])
    command     = var.bridge_url
    working_dir = var.working_dir
    environment = {
      NOVU_SECRET_KEY = var.novu_secret_key
      NOVU_API_URL    = var.novu_api_url
    }
  }

  depends_on = [terraform_data.environment_guard]
}
