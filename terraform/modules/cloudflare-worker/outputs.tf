output "bridge_url" {
  description = "Public URL of the bridge (custom domain or workers.dev, and the route), to sync to Novu."
  value       = "${local.origin}${var.route}"

  # The URL serves the new version once it is deployed (and its domain is attached).
  depends_on = [cloudflare_workers_deployment.this, cloudflare_workers_custom_domain.this]
}

output "code_version" {
  description = "ID of the deployed version, new with each upload (for re-syncing Novu)."
  value       = cloudflare_worker_version.this.id

  depends_on = [cloudflare_workers_deployment.this]
}

output "worker_name" {
  description = "Name of the Worker."
  value       = cloudflare_worker.this.name
}

output "version_id" {
  description = "ID of the deployed Worker version."
  value       = cloudflare_worker_version.this.id
}

output "content_digest" {
  description = "SHA-256 over the uploaded modules' names and SHA-256s; its first 16 hex digits are the version's message."
  value       = local.content_digest
}
