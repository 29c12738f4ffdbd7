# A Novu bridge on AWS Lambda (provided.al2023) behind an HTTP API route.
#
# The secret key lives in Parameter Store as a SecureString; the function
# gets only the parameter's name (NOVU_SECRET_KEY_SSM_PARAMETER) and reads
# the value once, at start-up, with its own role. The role may write its
# own log group and read its own parameters, nothing else.

data "aws_region" "current" {}

locals {
  has_fallback   = nonsensitive(var.novu_secret_key_fallback != null)
  parameter_path = "/${var.name}"
  log_group_name = "/aws/lambda/${var.name}"
  integration_ms = min(30000, (var.timeout + 1) * 1000)
  parameter_arns = concat([aws_ssm_parameter.secret_key.arn], aws_ssm_parameter.secret_key_fallback[*].arn)
  secret_env_vars = merge(
    { NOVU_SECRET_KEY_SSM_PARAMETER = aws_ssm_parameter.secret_key.name },
    local.has_fallback ? { NOVU_SECRET_KEY_FALLBACK_SSM_PARAMETER = aws_ssm_parameter.secret_key_fallback[0].name } : {},
    # The function reads the keys once per execution environment. Naming
    # the parameters' versions changes its configuration whenever a key
    # changes, so that no environment keeps serving with an old key.
    { ECHOFN_SECRET_KEY_VERSIONS = join(",", concat([aws_ssm_parameter.secret_key.version], aws_ssm_parameter.secret_key_fallback[*].version)) },
  )
}

resource "aws_ssm_parameter" "secret_key" {
  name        = "${local.parameter_path}/NOVU_SECRET_KEY"
  description = "Novu secret key of the bridge ${var.name}"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  value       = var.novu_secret_key
  tags        = var.tags
}

resource "aws_ssm_parameter" "secret_key_fallback" {
  count = local.has_fallback ? 1 : 0

  name        = "${local.parameter_path}/NOVU_SECRET_KEY_FALLBACK"
  description = "Fallback Novu secret key of the bridge ${var.name}, accepted while keys are rotated"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  value       = var.novu_secret_key_fallback
  tags        = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "ReadOwnSecretKeys"
    actions   = ["ssm:GetParameter"]
    resources = local.parameter_arns
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptOwnSecretKeys"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${data.aws_region.current.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-lambda"
  description        = "Runs the Novu bridge ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "bridge"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.permissions.json
}

resource "aws_lambda_function" "this" {
  function_name                  = var.name
  description                    = "Novu bridge (echofn)"
  role                           = aws_iam_role.this.arn
  filename                       = var.bootstrap_zip_path
  source_code_hash               = filebase64sha256(var.bootstrap_zip_path)
  handler                        = "bootstrap"
  runtime                        = "provided.al2023"
  architectures                  = [var.architecture]
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = merge(var.environment_variables, { NOVU_API_URL = var.novu_api_url }, local.secret_env_vars)
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags

  # The role's policy must exist before the first start reads the key.
  depends_on = [aws_iam_role_policy.this]
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "Novu bridge ${var.name}"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.this.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = local.integration_ms
}

resource "aws_apigatewayv2_route" "this" {
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "ANY ${var.route}"
  target    = "integrations/${aws_apigatewayv2_integration.this.id}"
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }

  tags = var.tags
}

resource "aws_lambda_permission" "http_api" {
  statement_id  = "AllowHttpApiRoute"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*${var.route}"
}
