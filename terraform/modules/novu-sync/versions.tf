terraform {
  # terraform_data is built in from Terraform 1.4; no provider is needed.
  required_version = ">= 1.5.7, < 2.0.0"
}
