output "bridge_url" {
  description = "Public URL of the bridge (the HTTP API's route), to sync to Novu."
  value       = "${aws_apigatewayv2_api.this.api_endpoint}${var.route}"

  # The URL answers once the route, the stage and the permission exist.
  depends_on = [aws_apigatewayv2_route.this, aws_apigatewayv2_stage.this, aws_lambda_permission.http_api]
}

output "code_version" {
  description = "SHA-256 of the deployed code, which changes with each new zip (for re-syncing Novu)."
  value       = aws_lambda_function.this.code_sha256
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "role_arn" {
  description = "ARN of the function's IAM role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "CloudWatch Logs group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "secret_key_parameter_name" {
  description = "Parameter Store name of the secret key (NOVU_SECRET_KEY_SSM_PARAMETER)."
  value       = aws_ssm_parameter.secret_key.name
}

output "fallback_secret_key_parameter_name" {
  description = "Parameter Store name of the fallback secret key, or null when there is none."
  value       = local.has_fallback ? aws_ssm_parameter.secret_key_fallback[0].name : null
}
