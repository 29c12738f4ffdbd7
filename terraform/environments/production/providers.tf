# Terraform configures every provider of a root module, even one whose
# resources all have count = 0. The two platforms not chosen get settings
# that let them start without credentials and without calling anything;
# the chosen one takes its credentials from the usual places (AWS_PROFILE
# or AWS_ACCESS_KEY_ID..., gcloud application-default credentials or
# GOOGLE_CREDENTIALS, CLOUDFLARE_API_TOKEN or var.cloudflare_api_token).

provider "aws" {
  region = var.aws_region

  access_key                  = local.platform == "aws" ? null : "unused"
  secret_key                  = local.platform == "aws" ? null : "unused"
  skip_credentials_validation = local.platform != "aws"
  skip_requesting_account_id  = local.platform != "aws"
  skip_metadata_api_check     = local.platform == "aws" ? null : "true"

  default_tags {
    tags = local.tags
  }
}

provider "google" {
  project        = var.gcp_project
  region         = var.gcp_region
  access_token   = local.platform == "gcp" ? null : "unused"
  default_labels = local.tags
}

provider "cloudflare" {
  api_token = local.platform == "cloudflare" ? var.cloudflare_api_token : "unused0000000000000000000000000000000000"
}
