output "bridge_url" {
  description = "Public URL of the bridge (the function's URL and the route), to sync to Novu."
  value       = "${google_cloudfunctions2_function.this.url}${var.route}"

  # The URL answers unauthenticated calls once the invoker binding exists.
  depends_on = [google_cloud_run_v2_service_iam_member.public]
}

output "code_version" {
  description = "MD5 of the source archive the function was last built from (for re-syncing Novu)."
  value       = google_storage_bucket_object.source.md5hash

  depends_on = [google_cloudfunctions2_function.this]
}

output "function_name" {
  description = "Full resource name of the function."
  value       = google_cloudfunctions2_function.this.id
}

output "service_account_email" {
  description = "Email of the service account the function runs as."
  value       = google_service_account.this.email
}

output "secret_key_secret_id" {
  description = "Secret Manager secret holding the secret key."
  value       = google_secret_manager_secret.secret_key.id
}

output "source_bucket" {
  description = "Bucket holding the function's source archives."
  value       = google_storage_bucket.source.name
}
