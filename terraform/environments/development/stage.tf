# The one setting that makes this folder the development stage. Everything
# else this stage does differently is a variable default (a size, a count,
# a retention) or a value in its terraform.tfvars.
locals {
  stage = "development"
}
