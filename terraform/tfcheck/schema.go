package tfcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Schema holds provider schemas: for each provider's local name (aws,
// google, cloudflare), the provider version they were taken from and the
// resources and data sources used. terraform/testdata/schema/generate.sh
// writes it from the prebuilt CDKTF provider packages.
type Schema struct {
	Providers map[string]*Provider `json:"providers"`
}

// Provider is one provider's schema at one version.
type Provider struct {
	// Source is the provider's registry address, such as hashicorp/aws.
	Source string `json:"source"`
	// Version is the provider version the schema was generated from.
	Version string `json:"version"`
	// Package names the npm package the schema was read from.
	Package string `json:"package"`
	// Config is the schema of the provider's configuration block.
	Config *Block `json:"provider"`
	// Resources and DataSources hold the schemas of the types extracted.
	Resources   map[string]*Block `json:"resources"`
	DataSources map[string]*Block `json:"data_sources"`
	// ResourceTypes and DataSourceTypes name every type the provider has,
	// extracted or not.
	ResourceTypes   []string `json:"resource_types"`
	DataSourceTypes []string `json:"data_source_types"`
}

// Block is the schema of a resource, data source, provider or nested block.
type Block struct {
	Attributes map[string]*Attribute   `json:"attributes"`
	Blocks     map[string]*NestedBlock `json:"blocks"`
}

// Attribute is the schema of one attribute. An attribute that is neither
// Required nor Optional is computed: it can be read, not set.
type Attribute struct {
	Type     string `json:"type"`
	Required bool   `json:"required,omitempty"`
	Optional bool   `json:"optional,omitempty"`
	Computed bool   `json:"computed,omitempty"`
	// Nesting is single, list, set or map for an attribute whose value is
	// an object or a collection of objects (described by Nested).
	Nesting string `json:"nesting,omitempty"`
	Nested  *Block `json:"nested,omitempty"`
}

// Settable reports whether a configuration may set the attribute.
func (a *Attribute) Settable() bool { return a.Required || a.Optional }

// NestedBlock is the schema of a nested block type.
type NestedBlock struct {
	// Nesting is single, list or set.
	Nesting string `json:"nesting"`
	// MaxItems is 1 for a block that may appear at most once, else 0.
	MaxItems int    `json:"max_items,omitempty"`
	Required bool   `json:"required,omitempty"`
	Block    *Block `json:"block"`
}

// LoadSchema reads a schema written by generate.sh.
func LoadSchema(path string) (*Schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Schema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name, p := range s.Providers {
		if p.Config == nil || p.Version == "" || p.Source == "" {
			return nil, fmt.Errorf("%s: provider %s lacks its source, version or configuration schema", path, name)
		}
		sort.Strings(p.ResourceTypes)
		sort.Strings(p.DataSourceTypes)
	}
	return &s, nil
}

// has reports whether the sorted list holds name.
func has(sorted []string, name string) bool {
	i := sort.SearchStrings(sorted, name)
	return i < len(sorted) && sorted[i] == name
}

// builtinResources are the resource types of the built-in provider
// terraform.io/builtin/terraform.
var builtinResources = map[string]*Block{
	"terraform_data": {
		Attributes: map[string]*Attribute{
			"input":            {Type: "dynamic", Optional: true},
			"triggers_replace": {Type: "dynamic", Optional: true},
			"output":           {Type: "dynamic", Computed: true},
			"id":               {Type: "string", Computed: true},
		},
	},
}
