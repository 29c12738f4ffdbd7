# A Novu bridge as a Cloud Function (2nd gen), built in the cloud from a
# source archive kept in a bucket of its own.
#
# The secret key lives in Secret Manager; the platform mounts the version
# created here as NOVU_SECRET_KEY (so a new key rolls out a new revision).
# The function runs as its own service account, which may read its secrets
# and nothing else. Anyone may invoke it: Novu calls it from the internet,
# and the bridge checks each call's HMAC signature.

locals {
  has_fallback    = nonsensitive(var.novu_secret_key_fallback != null)
  bucket_name     = coalesce(var.source_bucket_name, "${var.name}-source-${substr(sha256(var.project), 0, 10)}")
  service_account = "${trimsuffix(substr(var.name, 0, 23), "-")}-bridge"
  apis = [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ]
  # Environment variable name -> secret ID (short) and version number.
  secrets = merge(
    { NOVU_SECRET_KEY = {
      secret_id = google_secret_manager_secret.secret_key.secret_id
      version   = google_secret_manager_secret_version.secret_key.version
    } },
    local.has_fallback ? { NOVU_SECRET_KEY_FALLBACK = {
      secret_id = google_secret_manager_secret.secret_key_fallback[0].secret_id
      version   = google_secret_manager_secret_version.secret_key_fallback[0].version
    } } : {},
  )
}

resource "google_project_service" "this" {
  for_each = var.enable_apis ? toset(local.apis) : toset([])

  project            = var.project
  service            = each.key
  disable_on_destroy = false
}

resource "google_service_account" "this" {
  project      = var.project
  account_id   = local.service_account
  display_name = "Novu bridge ${var.name}"
  description  = "Runs the Novu bridge ${var.name}; reads its own secret keys only."
}

resource "google_secret_manager_secret" "secret_key" {
  project   = var.project
  secret_id = "${var.name}-novu-secret-key"
  labels    = var.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.this]
}

resource "google_secret_manager_secret_version" "secret_key" {
  secret      = google_secret_manager_secret.secret_key.id
  secret_data = var.novu_secret_key
}

resource "google_secret_manager_secret" "secret_key_fallback" {
  count = local.has_fallback ? 1 : 0

  project   = var.project
  secret_id = "${var.name}-novu-secret-key-fallback"
  labels    = var.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.this]
}

resource "google_secret_manager_secret_version" "secret_key_fallback" {
  count = local.has_fallback ? 1 : 0

  secret      = google_secret_manager_secret.secret_key_fallback[0].id
  secret_data = var.novu_secret_key_fallback
}

resource "google_secret_manager_secret_iam_member" "access" {
  for_each = toset(keys(local.secrets))

  project   = var.project
  secret_id = local.secrets[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.this.member
}

resource "google_storage_bucket" "source" {
  project                     = var.project
  name                        = local.bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels

  depends_on = [google_project_service.this]
}

resource "google_storage_bucket_object" "source" {
  bucket = google_storage_bucket.source.name
  # A new name for new content makes the function rebuild.
  name   = "${var.name}/source-${filemd5(var.source_archive_path)}.zip"
  source = var.source_archive_path
}

resource "google_cloudfunctions2_function" "this" {
  project     = var.project
  name        = var.name
  location    = var.region
  description = "Novu bridge (echofn)"
  labels      = var.labels

  build_config {
    runtime         = var.runtime
    entry_point     = var.entry_point
    service_account = var.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = var.available_memory
    available_cpu                    = var.available_cpu
    timeout_seconds                  = var.timeout_seconds
    min_instance_count               = var.min_instance_count
    max_instance_count               = var.max_instance_count
    max_instance_request_concurrency = var.max_instance_request_concurrency
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.this.email
    environment_variables            = merge(var.environment_variables, { NOVU_API_URL = var.novu_api_url })

    dynamic "secret_environment_variables" {
      for_each = local.secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project
        secret     = secret_environment_variables.value.secret_id
        version    = secret_environment_variables.value.version
      }
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.access, google_project_service.this]
}

# Public invoker: the function's Cloud Run service answers unauthenticated
# calls. Organisation policies that forbid allUsers members make this fail.
resource "google_cloud_run_v2_service_iam_member" "public" {
  project  = var.project
  location = google_cloudfunctions2_function.this.location
  name     = google_cloudfunctions2_function.this.name # the service is named after the function
  role     = "roles/run.invoker"
  member   = "allUsers"
}
