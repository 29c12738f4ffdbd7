locals {
  platform = var.platform
  name     = "${var.name_prefix}-${local.stage}"
  tags     = merge(var.tags, { app = "echofn", stage = local.stage, managed-by = "terraform" })

  # Build outputs, where the build commands write them by default.
  repo_root     = abspath("${path.module}/../../..")
  dist_dir      = coalesce(var.dist_dir, "${local.repo_root}/dist")
  lambda_goarch = var.aws_lambda_architecture == "x86_64" ? "amd64" : "arm64"
  lambda_zip    = coalesce(var.aws_lambda_zip_path, "${local.dist_dir}/lambda/bootstrap-${local.lambda_goarch}.zip")
  gcf_zip       = coalesce(var.gcp_source_zip_path, "${local.dist_dir}/gcf/source.zip")
  worker_dir    = coalesce(var.cloudflare_worker_dir, "${local.dist_dir}/cloudflare")

  bridge_url   = one(concat(module.aws_lambda[*].bridge_url, module.gcp_cloud_function[*].bridge_url, module.cloudflare_worker[*].bridge_url))
  code_version = one(concat(module.aws_lambda[*].code_version, module.gcp_cloud_function[*].code_version, module.cloudflare_worker[*].code_version))
}

module "aws_lambda" {
  source = "../../modules/aws-lambda"
  count  = local.platform == "aws" ? 1 : 0

  name                     = local.name
  bootstrap_zip_path       = local.lambda_zip
  architecture             = var.aws_lambda_architecture
  memory_size              = var.aws_lambda_memory_size
  timeout                  = var.aws_lambda_timeout
  log_retention_days       = var.log_retention_days
  novu_secret_key          = var.novu_secret_key
  novu_secret_key_fallback = var.novu_secret_key_fallback
  novu_api_url             = var.novu_api_url
  tags                     = local.tags
}

module "gcp_cloud_function" {
  source = "../../modules/gcp-cloud-function"
  count  = local.platform == "gcp" ? 1 : 0

  name                     = local.name
  project                  = var.gcp_project
  region                   = var.gcp_region
  source_archive_path      = local.gcf_zip
  runtime                  = var.gcp_runtime
  available_memory         = var.gcp_available_memory
  min_instance_count       = var.gcp_min_instance_count
  max_instance_count       = var.gcp_max_instance_count
  novu_secret_key          = var.novu_secret_key
  novu_secret_key_fallback = var.novu_secret_key_fallback
  novu_api_url             = var.novu_api_url
  labels                   = local.tags
}

module "cloudflare_worker" {
  source = "../../modules/cloudflare-worker"
  count  = local.platform == "cloudflare" ? 1 : 0

  name                     = local.name
  account_id               = var.cloudflare_account_id
  worker_dir               = local.worker_dir
  workers_dev_subdomain    = var.cloudflare_workers_dev_subdomain
  custom_domain            = var.cloudflare_custom_domain
  zone_id                  = var.cloudflare_zone_id
  novu_secret_key          = var.novu_secret_key
  novu_secret_key_fallback = var.novu_secret_key_fallback
  novu_api_url             = var.novu_api_url
}

module "novu_sync" {
  source = "../../modules/novu-sync"

  stage               = local.stage
  bridge_url          = local.bridge_url
  code_version        = local.code_version
  novu_secret_key     = var.novu_secret_key
  novu_api_url        = var.novu_api_url
  enabled             = var.sync_enabled
  confirm_environment = var.sync_confirm_environment
  command             = var.sync_command
  working_dir         = local.repo_root
}
