package tfcheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testSchema is a small provider "aws" at version 1.0.0.
func testSchema() *Schema {
	thing := &Block{
		Attributes: map[string]*Attribute{
			"name": {Type: "string", Required: true},
			"tags": {Type: "map(string)", Optional: true},
			"arn":  {Type: "computed", Computed: true},
			"settings": {Type: "object", Optional: true, Nesting: "single", Nested: &Block{
				Attributes: map[string]*Attribute{
					"mode":  {Type: "string", Required: true},
					"level": {Type: "number", Optional: true},
				},
			}},
			"items": {Type: "list(object)", Optional: true, Nesting: "list", Nested: &Block{
				Attributes: map[string]*Attribute{"key": {Type: "string", Required: true}},
			}},
		},
		Blocks: map[string]*NestedBlock{
			"rule": {Nesting: "list", Block: &Block{
				Attributes: map[string]*Attribute{"action": {Type: "string", Required: true}},
			}},
			"config": {Nesting: "list", MaxItems: 1, Block: &Block{
				Attributes: map[string]*Attribute{
					"size": {Type: "number", Optional: true},
					"uri":  {Type: "computed", Computed: true},
				},
			}},
		},
	}
	return &Schema{Providers: map[string]*Provider{
		"aws": {
			Source:          "hashicorp/aws",
			Version:         "1.0.0",
			Package:         "test",
			Config:          &Block{Attributes: map[string]*Attribute{"region": {Type: "string", Optional: true}}},
			Resources:       map[string]*Block{"aws_thing": thing},
			DataSources:     map[string]*Block{"aws_info": {Attributes: map[string]*Attribute{"region": {Type: "computed", Computed: true}}}},
			ResourceTypes:   []string{"aws_other", "aws_thing"},
			DataSourceTypes: []string{"aws_info"},
		},
	}}
}

const header = `terraform {
  required_version = ">= 1.5.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "1.0.0"
    }
  }
}
`

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // relative path -> content; the root is "root"
		want  []string
	}{
		{
			name: "valid configuration",
			files: map[string]string{"root/main.tf": header + `
variable "token" {
  description = "A token."
  type        = string
  sensitive   = true
}
locals {
  names = ["a", "b"]
}
provider "aws" {
  region = "x"
}
data "aws_info" "here" {}
resource "aws_thing" "one" {
  for_each = toset(local.names)
  name     = "${each.key}-${data.aws_info.here.region}"
  settings = { mode = "fast" }
  items    = [for n in local.names : { key = n }]
  rule {
    action = "allow"
  }
  dynamic "rule" {
    for_each = local.names
    content {
      action = rule.value
    }
  }
  config {
    size = 1
  }
}
module "sub" {
  source = "../sub"
  input  = aws_thing.one["a"].config[0].uri
}
output "out" {
  description = "Out."
  value       = [module.sub.result, aws_thing.one["a"].arn]
}
`, "sub/main.tf": `terraform {
  required_version = ">= 1.5.7"
}
variable "input" {
  description = "In."
  type        = string
}
output "result" {
  description = "Result."
  value       = var.input
}
`},
		},
		{
			name: "unknown, computed and misplaced arguments",
			files: map[string]string{"root/main.tf": header + `
resource "aws_thing" "x" {
  name    = "x"
  arn     = "y"
  nmae    = "z"
  rule    = []
  config {}
  config {}
  settings {
    mode = "slow"
  }
}
`},
			want: []string{
				`root/main.tf:13: aws_thing.x: "arn" is computed and cannot be set`,
				`root/main.tf:14: aws_thing.x: unknown attribute "nmae" (did you mean "name"?)`,
				`root/main.tf:15: aws_thing.x: "rule" is a block, not an attribute: write rule { ... }`,
				`root/main.tf:17: aws_thing.x: block "config" may appear only once`,
				`root/main.tf:18: aws_thing.x: "settings" is an attribute, not a block: write settings = ...`,
			},
		},
		{
			name: "required arguments and nested objects",
			files: map[string]string{"root/main.tf": header + `
resource "aws_thing" "x" {
  settings = { level = 2, speed = 1 }
  items    = concat([{ key = "a" }], [{ kay = "b" }])
  rule {}
}
`},
			want: []string{
				`root/main.tf:11: aws_thing.x: the required attribute "name" is missing`,
				`root/main.tf:12: aws_thing.x.settings: unknown attribute "speed"`,
				`root/main.tf:12: aws_thing.x.settings: the required attribute "mode" is missing`,
				`root/main.tf:13: aws_thing.x.items: unknown attribute "kay" (did you mean "key"?)`,
				`root/main.tf:13: aws_thing.x.items: the required attribute "key" is missing`,
				`root/main.tf:14: aws_thing.x.rule: the required attribute "action" is missing`,
			},
		},
		{
			name: "types that do not exist or were not extracted",
			files: map[string]string{"root/main.tf": header + `
resource "aws_thng" "a" {}
resource "aws_other" "b" {}
data "aws_nothing" "c" {}
resource "google_thing" "d" {}
`},
			want: []string{
				`root/main.tf:11: resource "aws_thng" does not exist in hashicorp/aws 1.0.0`,
				`root/main.tf:12: resource "aws_other" is not in the extracted schema: run terraform/testdata/schema/generate.sh`,
				`root/main.tf:13: data source "aws_nothing" does not exist in hashicorp/aws 1.0.0`,
				`root/main.tf:14: resource type "google_thing": no schema for a provider "google"`,
			},
		},
		{
			name: "references to undeclared names and attributes",
			files: map[string]string{"root/main.tf": header + `
locals {
  a = var.missing
  b = local.nope
  c = aws_thing.ghost.arn
  d = data.aws_info.ghost.region
  e = module.ghost.out
  f = count.index
  g = path.nowhere
}
resource "aws_thing" "x" {
  name = aws_thing.x.config[0].url
}
data "aws_info" "here" {}
output "o" {
  description = "O."
  value       = [data.aws_info.here.zone, aws_thing.x[*].nam]
}
`},
			want: []string{
				`root/main.tf:12: var.missing is not declared`,
				`root/main.tf:13: local.nope is not declared`,
				`root/main.tf:14: aws_thing.ghost is not declared`,
				`root/main.tf:15: data.aws_info.ghost is not declared`,
				`root/main.tf:16: module.ghost is not declared`,
				`root/main.tf:17: count is not available here`,
				`root/main.tf:18: path.nowhere does not exist`,
				`root/main.tf:21: aws_thing.x.config has no attribute "url" (did you mean "uri"?)`,
				`root/main.tf:26: data.aws_info.here has no attribute "zone"`,
				`root/main.tf:26: aws_thing.x has no attribute "nam" (did you mean "name"?)`,
			},
		},
		{
			name: "module calls",
			files: map[string]string{
				"root/main.tf": header + `
module "sub" {
  source = "../sub"
  inptu  = 1
}
module "far" {
  source = "example/registry/module"
}
output "o" {
  description = "O."
  value       = module.sub.reslt
}
`,
				"sub/main.tf": `terraform {
  required_version = ">= 1.5.7"
}
variable "input" {
  description = "In."
  type        = number
}
variable "optional" {
  description = "Opt."
  type        = number
  default     = 1
}
output "result" {
  description = "Result."
  value       = var.input
}
`},
			want: []string{
				`root/main.tf:11: module "sub": the required variable "input" is not set`,
				`root/main.tf:13: module "sub": ../sub declares no variable "inptu"`,
				`root/main.tf:15: module "far": source "example/registry/module" is not a local path; only local modules can be checked`,
				`root/main.tf:20: module.sub has no output "reslt"`,
			},
		},
		{
			name: "documentation, sensitivity and pinning",
			files: map[string]string{"root/main.tf": `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 1.0"
    }
  }
}
variable "api_token" {
  type = string
}
variable "secret_key" {
  description = "Key."
  type        = string
  sensitive   = true
}
variable "plain" {
  description = "  "
}
output "leak" {
  description = "Leak."
  value       = var.secret_key
}
output "bare" {
  value = var.plain
}
provider "aws" {
  regio = "x"
}
`},
			want: []string{
				`root/main.tf:1: required provider "aws": version "~> 1.0" is not pinned to 1.0.0, the version whose schema is checked (test)`,
				`root/main.tf:9: variable "api_token" has no description`,
				`root/main.tf:9: variable "api_token" holds a secret but is not sensitive = true`,
				`root/main.tf:17: variable "plain" has no description`,
				`root/main.tf:17: variable "plain" has no type`,
				`root/main.tf:22: output "leak" shows the sensitive variable "secret_key" but is not sensitive = true`,
				`root/main.tf:24: output "bare" has no description`,
				`root/main.tf:28: provider aws: unknown attribute "regio" (did you mean "region"?)`,
				`root/versions.tf:1: the module does not set terraform.required_version`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c := &Checker{Schema: testSchema(), Base: dir}
			problems, err := c.Check(filepath.Join(dir, "root"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckSyntaxError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"aws_thing\" {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &Checker{Schema: testSchema(), Base: dir}
	problems, err := c.Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) == 0 {
		t.Fatal("a file that does not parse gave no problem")
	}
	if got := problems[0].Pos; got != "main.tf:1" {
		t.Errorf("first problem at %s, want main.tf:1", got)
	}
}

func TestLoadSchemaRejectsIncompleteProviders(t *testing.T) {
	tests := []struct {
		name, json string
		ok         bool
	}{
		{"complete", `{"providers":{"aws":{"source":"hashicorp/aws","version":"1.0.0","provider":{"attributes":{}}}}}`, true},
		{"no version", `{"providers":{"aws":{"source":"hashicorp/aws","provider":{"attributes":{}}}}}`, false},
		{"no provider block", `{"providers":{"aws":{"source":"hashicorp/aws","version":"1.0.0"}}}`, false},
		{"not json", `{`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "s.json")
			if err := os.WriteFile(p, []byte(tt.json), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadSchema(p)
			if (err == nil) != tt.ok {
				t.Errorf("LoadSchema error = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
