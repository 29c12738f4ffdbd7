package tfcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Module is the parsed configuration of one Terraform module: the .tf
// files of one directory.
type Module struct {
	// Dir is the module's directory.
	Dir string
	// Variables, Locals, Outputs, Resources ("type.name"), DataSources
	// ("type.name") and Calls (module calls) index the module's blocks
	// and local values by name.
	Variables   map[string]*Variable
	Locals      map[string]*hclsyntax.Attribute
	Outputs     map[string]*hclsyntax.Block
	Resources   map[string]*hclsyntax.Block
	DataSources map[string]*hclsyntax.Block
	Calls       map[string]*hclsyntax.Block
	// ProviderConfigs are the module's provider blocks.
	ProviderConfigs []*hclsyntax.Block
	// RequiredProviders is the terraform block's required_providers, by
	// local name; RequiredVersion its required_version ("" when absent).
	RequiredProviders map[string]RequiredProvider
	RequiredVersion   string
	// Blocks are all the top-level blocks, file by file in name order.
	Blocks []*hclsyntax.Block
	// Files are the parsed files by base name.
	Files map[string]*hclsyntax.Body

	problems []Problem
}

// Variable is a declared input variable.
type Variable struct {
	Name        string
	Block       *hclsyntax.Block
	Description string
	Sensitive   bool
	HasDefault  bool
	HasType     bool
}

// RequiredProvider is one entry of required_providers.
type RequiredProvider struct {
	Source  string
	Version string
}

// Problem is one thing wrong in a configuration, at a file and line.
type Problem struct {
	Pos string
	Msg string
}

func (p Problem) String() string { return p.Pos + ": " + p.Msg }

// LoadModule parses every .tf file of dir. Syntax errors and malformed
// declarations are kept as problems, reported by Checker.Check.
func LoadModule(dir string) (*Module, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no .tf files", dir)
	}
	sort.Strings(names)
	m := &Module{
		Dir:               dir,
		Variables:         map[string]*Variable{},
		Locals:            map[string]*hclsyntax.Attribute{},
		Outputs:           map[string]*hclsyntax.Block{},
		Resources:         map[string]*hclsyntax.Block{},
		DataSources:       map[string]*hclsyntax.Block{},
		Calls:             map[string]*hclsyntax.Block{},
		RequiredProviders: map[string]RequiredProvider{},
		Files:             map[string]*hclsyntax.Body{},
	}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		for _, d := range diags {
			m.addDiag(d)
		}
		if diags.HasErrors() {
			continue
		}
		body := f.Body.(*hclsyntax.Body)
		m.Files[filepath.Base(name)] = body
		for _, b := range body.Blocks {
			m.Blocks = append(m.Blocks, b)
			m.index(b)
		}
	}
	return m, nil
}

func (m *Module) addDiag(d *hcl.Diagnostic) {
	pos := ""
	if d.Subject != nil {
		pos = fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
	}
	m.problems = append(m.problems, Problem{Pos: pos, Msg: d.Summary + ": " + d.Detail})
}

func (m *Module) problem(rng hcl.Range, format string, args ...any) {
	m.problems = append(m.problems, Problem{Pos: fmt.Sprintf("%s:%d", rng.Filename, rng.Start.Line), Msg: fmt.Sprintf(format, args...)})
}

func (m *Module) index(b *hclsyntax.Block) {
	dup := func(kind, name string, seen bool) {
		if seen {
			m.problem(b.DefRange(), "%s %q is declared twice", kind, name)
		}
	}
	switch b.Type {
	case "variable":
		name := b.Labels[0]
		_, seen := m.Variables[name]
		dup("variable", name, seen)
		v := &Variable{Name: name, Block: b}
		if a := b.Body.Attributes["description"]; a != nil {
			if s, ok := literalString(a.Expr); ok {
				v.Description = s
			}
		}
		if a := b.Body.Attributes["sensitive"]; a != nil {
			val, diags := a.Expr.Value(nil)
			v.Sensitive = !diags.HasErrors() && val.Type() == cty.Bool && val.True()
		}
		_, v.HasDefault = b.Body.Attributes["default"]
		_, v.HasType = b.Body.Attributes["type"]
		m.Variables[name] = v
	case "locals":
		for name, a := range b.Body.Attributes {
			_, seen := m.Locals[name]
			dup("local value", name, seen)
			m.Locals[name] = a
		}
	case "output":
		_, seen := m.Outputs[b.Labels[0]]
		dup("output", b.Labels[0], seen)
		m.Outputs[b.Labels[0]] = b
	case "resource":
		key := b.Labels[0] + "." + b.Labels[1]
		_, seen := m.Resources[key]
		dup("resource", key, seen)
		m.Resources[key] = b
	case "data":
		key := b.Labels[0] + "." + b.Labels[1]
		_, seen := m.DataSources[key]
		dup("data source", key, seen)
		m.DataSources[key] = b
	case "module":
		_, seen := m.Calls[b.Labels[0]]
		dup("module", b.Labels[0], seen)
		m.Calls[b.Labels[0]] = b
	case "provider":
		m.ProviderConfigs = append(m.ProviderConfigs, b)
	case "terraform":
		if a := b.Body.Attributes["required_version"]; a != nil {
			if s, ok := literalString(a.Expr); ok {
				m.RequiredVersion = s
			}
		}
		for _, rp := range b.Body.Blocks {
			if rp.Type != "required_providers" {
				continue
			}
			for name, a := range rp.Body.Attributes {
				obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
				if !ok {
					m.problem(a.SrcRange, "required_providers.%s must be an object with source and version", name)
					continue
				}
				var r RequiredProvider
				for _, item := range obj.Items {
					key := hcl.ExprAsKeyword(item.KeyExpr)
					s, _ := literalString(item.ValueExpr)
					switch key {
					case "source":
						r.Source = s
					case "version":
						r.Version = s
					}
				}
				m.RequiredProviders[name] = r
			}
		}
	}
}

// literalString returns the value of a constant string expression.
func literalString(expr hcl.Expression) (string, bool) {
	v, diags := expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// ModuleSource resolves a module call's local source ("./x" or "../x")
// against the calling module's directory.
func (m *Module) ModuleSource(call *hclsyntax.Block) (string, error) {
	a := call.Body.Attributes["source"]
	if a == nil {
		return "", fmt.Errorf("module %q has no source", call.Labels[0])
	}
	s, ok := literalString(a.Expr)
	if !ok {
		return "", fmt.Errorf("module %q: source must be a literal string", call.Labels[0])
	}
	if !strings.HasPrefix(s, "./") && !strings.HasPrefix(s, "../") {
		return "", fmt.Errorf("module %q: source %q is not a local path; only local modules can be checked", call.Labels[0], s)
	}
	return filepath.Clean(filepath.Join(m.Dir, s)), nil
}
