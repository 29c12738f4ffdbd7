# tflint configuration for every module and stage under terraform/
# (run by scripts/test.d/40-terraform.sh). Only the bundled Terraform
# ruleset is used: the provider rulesets are plugins that would have to be
# downloaded.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
