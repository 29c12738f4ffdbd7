output "synced_url" {
  description = "The bridge URL last synced to Novu, or null when syncing is off."
  value       = var.enabled ? terraform_data.sync[0].triggers_replace[0] : null
}

output "key_environment" {
  description = "The Novu environment the secret key shows (development or production), or null when it shows none."
  value       = local.key_environment
}
