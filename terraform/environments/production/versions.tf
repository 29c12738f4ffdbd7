terraform {
  required_version = ">= 1.5.7, < 2.0.0"

  # State: local (terraform.tfstate in this folder) until a backend is
  # configured; backend.tf.example shows how. Each stage has its own.

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.25.0"
    }
    google = {
      source  = "hashicorp/google"
      version = "6.50.0"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "5.14.0"
    }
  }
}
