output "bridge_url" {
  description = "Public URL of the deployed bridge: what Novu calls, and what sync tells it."
  value       = local.bridge_url
}

output "platform" {
  description = "The platform the bridge runs on."
  value       = local.platform
}

output "stage" {
  description = "The stage (and Novu environment) of this root module."
  value       = local.stage
}

output "synced_url" {
  description = "The bridge URL last synced to the Novu environment, or null when sync is off."
  value       = module.novu_sync.synced_url
}

output "aws_lambda" {
  description = "Names of the AWS resources (function, role, log group, secret parameters) when platform is aws, else null."
  value       = one(module.aws_lambda[*])
}

output "gcp_cloud_function" {
  description = "Names of the Google Cloud resources (function, service account, secret, bucket) when platform is gcp, else null."
  value       = one(module.gcp_cloud_function[*])
}

output "cloudflare_worker" {
  description = "Worker name, deployed version and content digest when platform is cloudflare, else null."
  value       = one(module.cloudflare_worker[*])
}
