// Command stubprovider is a Terraform provider that serves the schema of a
// real provider, as terraform/testdata/schema/providers.json records it,
// and does nothing else. With it standing in for aws, google and
// cloudflare, `terraform init` and `terraform validate` check the modules
// and stages by Terraform's own rules (argument names, types of values and
// expressions, required arguments, blocks and nested attributes) against
// the schema of the pinned provider version, without the provider itself,
// which cannot be built or downloaded here.
//
// It answers validation requests with no diagnostics: the provider's own
// validators (value formats, conflicting arguments) do not run. It plans a
// new resource as its configuration with every value the configuration
// leaves out unknown (every optional attribute is taken to be computed as
// well), reads a data source as its configuration with placeholders
// ("stub", 0, false, empty collections) for the values it leaves out, and
// refuses to apply anything: enough for `terraform plan` to evaluate a
// whole configuration.
//
// The provider it stands in for is the name it is installed under
// (terraform-provider-<name>, as Terraform's development overrides want
// it); ECHOFN_PROVIDER_SCHEMAS names the schema file.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// EnvSchemas names the environment variable holding the schema file's path.
const EnvSchemas = "ECHOFN_PROVIDER_SCHEMAS"

func main() {
	name := providerName(os.Args[0])
	p, err := load(os.Getenv(EnvSchemas), name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stubprovider:", err)
		os.Exit(1)
	}
	if err := tf6server.Serve(p.source, func() tfprotov6.ProviderServer { return p }); err != nil {
		fmt.Fprintln(os.Stderr, "stubprovider:", err)
		os.Exit(1)
	}
}

// providerName returns <name> of an executable named
// terraform-provider-<name>[_<version>].
func providerName(exe string) string {
	base := strings.TrimPrefix(filepath.Base(exe), "terraform-provider-")
	name, _, _ := strings.Cut(base, "_")
	return name
}

// The schema file's shape (see terraform/tfcheck.Schema).
type fileSchema struct {
	Providers map[string]*fileProvider `json:"providers"`
}

type fileProvider struct {
	Source      string                `json:"source"`
	Version     string                `json:"version"`
	Config      *fileBlock            `json:"provider"`
	Resources   map[string]*fileBlock `json:"resources"`
	DataSources map[string]*fileBlock `json:"data_sources"`
}

type fileBlock struct {
	Attributes map[string]*fileAttribute `json:"attributes"`
	Blocks     map[string]*fileNested    `json:"blocks"`
}

type fileAttribute struct {
	Type     string     `json:"type"`
	Required bool       `json:"required"`
	Optional bool       `json:"optional"`
	Computed bool       `json:"computed"`
	Nesting  string     `json:"nesting"`
	Nested   *fileBlock `json:"nested"`
}

type fileNested struct {
	Nesting  string     `json:"nesting"`
	MaxItems int64      `json:"max_items"`
	Required bool       `json:"required"`
	Block    *fileBlock `json:"block"`
}

// provider serves one provider's schema.
type provider struct {
	source      string
	config      *tfprotov6.Schema
	resources   map[string]*tfprotov6.Schema
	dataSources map[string]*tfprotov6.Schema
}

func load(path, name string) (*provider, error) {
	if path == "" {
		return nil, fmt.Errorf("%s is not set", EnvSchemas)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f fileSchema
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fp := f.Providers[name]
	if fp == nil {
		return nil, fmt.Errorf("%s has no provider %q", path, name)
	}
	p := &provider{
		source:      fp.Source,
		config:      &tfprotov6.Schema{Block: block(fp.Config)},
		resources:   map[string]*tfprotov6.Schema{},
		dataSources: map[string]*tfprotov6.Schema{},
	}
	for t, b := range fp.Resources {
		p.resources[t] = &tfprotov6.Schema{Block: block(b)}
	}
	for t, b := range fp.DataSources {
		p.dataSources[t] = &tfprotov6.Schema{Block: block(b)}
	}
	return p, nil
}

func block(b *fileBlock) *tfprotov6.SchemaBlock {
	out := &tfprotov6.SchemaBlock{}
	if b == nil {
		return out
	}
	out.Attributes = attributes(b.Attributes)
	for _, name := range sortedKeys(b.Blocks) {
		nb := b.Blocks[name]
		mode := tfprotov6.SchemaNestedBlockNestingModeList
		switch nb.Nesting {
		case "set":
			mode = tfprotov6.SchemaNestedBlockNestingModeSet
		case "single":
			mode = tfprotov6.SchemaNestedBlockNestingModeSingle
		}
		sb := &tfprotov6.SchemaNestedBlock{TypeName: name, Block: block(nb.Block), Nesting: mode, MaxItems: nb.MaxItems}
		if nb.Required && mode != tfprotov6.SchemaNestedBlockNestingModeSingle {
			sb.MinItems = 1
		}
		out.BlockTypes = append(out.BlockTypes, sb)
	}
	return out
}

func attributes(attrs map[string]*fileAttribute) []*tfprotov6.SchemaAttribute {
	var out []*tfprotov6.SchemaAttribute
	for _, name := range sortedKeys(attrs) {
		a := attrs[name]
		// Optional attributes are taken to be computed too (many are), so
		// that plans may leave them unknown.
		sa := &tfprotov6.SchemaAttribute{Name: name, Required: a.Required, Optional: a.Optional, Computed: !a.Required}
		if a.Nesting != "" && a.Nested != nil {
			mode := map[string]tfprotov6.SchemaObjectNestingMode{
				"single": tfprotov6.SchemaObjectNestingModeSingle,
				"list":   tfprotov6.SchemaObjectNestingModeList,
				"set":    tfprotov6.SchemaObjectNestingModeSet,
				"map":    tfprotov6.SchemaObjectNestingModeMap,
			}[a.Nesting]
			sa.NestedType = &tfprotov6.SchemaObject{Nesting: mode, Attributes: attributes(a.Nested.Attributes)}
		} else {
			sa.Type = typeOf(a.Type)
		}
		out = append(out, sa)
	}
	return out
}

// typeOf turns a type written as in the schema file (string, list(string),
// map(number), ...) into a Terraform type; what it cannot tell (computed
// values of unrecorded type, objects without a schema) is dynamic.
func typeOf(s string) tftypes.Type {
	switch s {
	case "string":
		return tftypes.String
	case "number":
		return tftypes.Number
	case "bool":
		return tftypes.Bool
	}
	if inner, ok := strings.CutPrefix(s, "list("); ok {
		return tftypes.List{ElementType: typeOf(strings.TrimSuffix(inner, ")"))}
	}
	if inner, ok := strings.CutPrefix(s, "set("); ok {
		return tftypes.Set{ElementType: typeOf(strings.TrimSuffix(inner, ")"))}
	}
	if inner, ok := strings.CutPrefix(s, "map("); ok {
		return tftypes.Map{ElementType: typeOf(strings.TrimSuffix(inner, ")"))}
	}
	return tftypes.DynamicPseudoType
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var refused = []*tfprotov6.Diagnostic{{
	Severity: tfprotov6.DiagnosticSeverityError,
	Summary:  "Schema-only provider",
	Detail:   "This stand-in serves the provider's schema for terraform validate; it cannot configure, plan or apply anything.",
}}

func (p *provider) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{}
	for _, t := range sortedKeys(p.resources) {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: t})
	}
	for _, t := range sortedKeys(p.dataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov6.DataSourceMetadata{TypeName: t})
	}
	return resp, nil
}

func (p *provider) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return &tfprotov6.GetProviderSchemaResponse{
		Provider:          p.config,
		ResourceSchemas:   p.resources,
		DataSourceSchemas: p.dataSources,
		Functions:         map[string]*tfprotov6.Function{},
	}, nil
}

func (p *provider) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (p *provider) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (p *provider) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (p *provider) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (p *provider) UpgradeResourceState(context.Context, *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: refused}, nil
}

func (p *provider) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{Diagnostics: refused}, nil
}

func (p *provider) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	schema := p.resources[req.TypeName]
	if schema == nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: unknownType(req.TypeName)}, nil
	}
	planned, err := fill(schema.Block, req.ProposedNewState, func(t tftypes.Type) tftypes.Value {
		return tftypes.NewValue(t, tftypes.UnknownValue)
	})
	if err != nil {
		return nil, err
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: planned}, nil
}

func (p *provider) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: refused}, nil
}

func (p *provider) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return &tfprotov6.ImportResourceStateResponse{Diagnostics: refused}, nil
}

func (p *provider) MoveResourceState(context.Context, *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return &tfprotov6.MoveResourceStateResponse{Diagnostics: refused}, nil
}

func (p *provider) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

func (p *provider) ReadDataSource(_ context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	schema := p.dataSources[req.TypeName]
	if schema == nil {
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: unknownType(req.TypeName)}, nil
	}
	state, err := fill(schema.Block, req.Config, placeholder)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.ReadDataSourceResponse{State: state}, nil
}

func unknownType(name string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Unknown type", Detail: name + " is not in the schema file."}}
}

// placeholder is a known value of type t: "stub", 0, false, an empty
// collection, or null for objects and dynamic values.
func placeholder(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "stub")
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, 0)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	}
	return tftypes.NewValue(t, nil)
}

// fill replaces the null values of a block's value that the configuration
// may leave out (attributes that are not required) with what fillValue gives.
func fill(b *tfprotov6.SchemaBlock, dv *tfprotov6.DynamicValue, fillValue func(tftypes.Type) tftypes.Value) (*tfprotov6.DynamicValue, error) {
	if dv == nil {
		return nil, nil
	}
	typ := b.ValueType()
	val, err := dv.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	if val.IsNull() {
		return dv, nil
	}
	out, err := tftypes.Transform(val, func(path *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsNull() {
			return v, nil
		}
		if a := attributeAt(b, path); a != nil && !a.Required {
			return fillValue(v.Type()), nil
		}
		return v, nil
	})
	if err != nil {
		return nil, err
	}
	filled, err := tfprotov6.NewDynamicValue(typ, out)
	if err != nil {
		return nil, err
	}
	return &filled, nil
}

// attributeAt returns the attribute a path ends at, or nil when it ends at
// a block, an element of a collection, or the root.
func attributeAt(b *tfprotov6.SchemaBlock, path *tftypes.AttributePath) *tfprotov6.SchemaAttribute {
	attrs, blocks := b.Attributes, b.BlockTypes
	var cur *tfprotov6.SchemaAttribute
	for _, step := range path.Steps() {
		name, ok := step.(tftypes.AttributeName)
		if !ok {
			cur = nil // an element
			continue
		}
		found := false
		for _, a := range attrs {
			if a.Name == string(name) {
				cur, found = a, true
				attrs, blocks = nil, nil
				if a.NestedType != nil {
					attrs = a.NestedType.Attributes
				}
				break
			}
		}
		if found {
			continue
		}
		for _, nb := range blocks {
			if nb.TypeName == string(name) {
				cur, found = nil, true
				attrs, blocks = nb.Block.Attributes, nb.Block.BlockTypes
				break
			}
		}
		if !found {
			return nil
		}
	}
	return cur
}

func (p *provider) CallFunction(context.Context, *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{Text: "this provider has no functions"}}, nil
}

func (p *provider) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{Functions: map[string]*tfprotov6.Function{}}, nil
}
