// Package tfcheck checks Terraform configurations offline, without the
// providers: every resource, data source and provider block against the
// schema of the pinned provider version (attribute and block names,
// required arguments, computed-only attributes, nested objects, blocks
// allowed once), every reference (var., local., module., resources and
// data sources, and the attributes read from them) against what is
// declared, every module call against the called module's variables, and
// the module's hygiene: pinned versions, documented variables and outputs,
// sensitive secrets.
//
// It reads configurations with github.com/hashicorp/hcl/v2 and schemas
// extracted by terraform/testdata/schema/generate.sh. It does not type-check
// expressions nor evaluate them: that needs the providers themselves.
package tfcheck

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Checker checks root modules and the local modules they call.
type Checker struct {
	// Schema holds the provider schemas to check against.
	Schema *Schema
	// Base, when set, makes problem positions relative to it.
	Base string

	modules map[string]*Module
	checked map[string]bool
	out     []Problem
}

// secretName matches the names of variables that must be sensitive.
var secretName = regexp.MustCompile(`(^|_)(secret|token|password)(_|$)`)

// Check checks the module in dir and, once each, every local module it
// calls, and returns the problems found in file order.
func (c *Checker) Check(dir string) ([]Problem, error) {
	if c.modules == nil {
		c.modules = map[string]*Module{}
		c.checked = map[string]bool{}
	}
	c.out = nil
	if err := c.check(filepath.Clean(dir)); err != nil {
		return nil, err
	}
	out := c.out
	for i := range out {
		if c.Base != "" {
			file, line, _ := strings.Cut(out[i].Pos, ":")
			if rel, err := filepath.Rel(c.Base, file); err == nil {
				out[i].Pos = rel + ":" + line
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return posLess(out[i].Pos, out[j].Pos) })
	return out, nil
}

func posLess(a, b string) bool {
	fa, la, _ := strings.Cut(a, ":")
	fb, lb, _ := strings.Cut(b, ":")
	if fa != fb {
		return fa < fb
	}
	var na, nb int
	fmt.Sscan(la, &na)
	fmt.Sscan(lb, &nb)
	return na < nb
}

// Module returns the parsed module in dir, loading it once.
func (c *Checker) Module(dir string) (*Module, error) {
	if c.modules == nil {
		c.modules = map[string]*Module{}
		c.checked = map[string]bool{}
	}
	if m, ok := c.modules[dir]; ok {
		return m, nil
	}
	m, err := LoadModule(dir)
	if err != nil {
		return nil, err
	}
	c.modules[dir] = m
	return m, nil
}

func (c *Checker) check(dir string) error {
	if c.checked[dir] {
		return nil
	}
	c.checked[dir] = true
	m, err := c.Module(dir)
	if err != nil {
		return err
	}
	mc := &moduleCheck{c: c, m: m}
	mc.run()
	c.out = append(c.out, m.problems...)
	c.out = append(c.out, mc.problems...)
	for _, name := range sortedKeys(m.Calls) {
		if sub, err := m.ModuleSource(m.Calls[name]); err == nil {
			if err := c.check(sub); err != nil {
				return err
			}
		}
	}
	return nil
}

type moduleCheck struct {
	c        *Checker
	m        *Module
	problems []Problem
}

func (mc *moduleCheck) problem(rng hcl.Range, format string, args ...any) {
	mc.problems = append(mc.problems, Problem{Pos: fmt.Sprintf("%s:%d", rng.Filename, rng.Start.Line), Msg: fmt.Sprintf(format, args...)})
}

// scope holds the names an expression may use besides the module's own:
// count/each where they exist, iterators of dynamic blocks, self.
type scope map[string]bool

func (s scope) with(names ...string) scope {
	n := scope{}
	for k := range s {
		n[k] = true
	}
	for _, k := range names {
		n[k] = true
	}
	return n
}

var topLevel = map[string]bool{
	"terraform": true, "variable": true, "locals": true, "output": true, "resource": true,
	"data": true, "module": true, "provider": true, "check": true, "moved": true, "import": true, "removed": true,
}

func (mc *moduleCheck) run() {
	m := mc.m
	if m.RequiredVersion == "" {
		mc.problem(hcl.Range{Filename: filepath.Join(m.Dir, "versions.tf"), Start: hcl.InitialPos}, "the module does not set terraform.required_version")
	}
	for _, b := range m.Blocks {
		if !topLevel[b.Type] {
			mc.problem(b.DefRange(), "unknown block type %q", b.Type)
			continue
		}
		switch b.Type {
		case "variable":
			mc.variable(m.Variables[b.Labels[0]])
		case "locals":
			for _, name := range sortedKeys(b.Body.Attributes) {
				mc.refs(b.Body.Attributes[name].Expr, scope{})
			}
		case "output":
			mc.output(b)
		case "resource":
			mc.resource(b, false)
		case "data":
			mc.resource(b, true)
		case "module":
			mc.call(b)
		case "provider":
			mc.provider(b)
		case "terraform":
			mc.terraform(b)
		default:
			mc.refsInBody(b.Body, scope{})
		}
	}
}

func (mc *moduleCheck) variable(v *Variable) {
	b := v.Block
	if strings.TrimSpace(v.Description) == "" {
		mc.problem(b.DefRange(), "variable %q has no description", v.Name)
	}
	if !v.HasType {
		mc.problem(b.DefRange(), "variable %q has no type", v.Name)
	}
	if secretName.MatchString(v.Name) && !v.Sensitive {
		mc.problem(b.DefRange(), "variable %q holds a secret but is not sensitive = true", v.Name)
	}
	for _, name := range sortedKeys(b.Body.Attributes) {
		if name != "type" { // a type expression, not a value
			mc.refs(b.Body.Attributes[name].Expr, scope{})
		}
	}
	for _, nb := range b.Body.Blocks {
		mc.refsInBody(nb.Body, scope{})
	}
}

func (mc *moduleCheck) output(b *hclsyntax.Block) {
	name := b.Labels[0]
	desc := ""
	if a := b.Body.Attributes["description"]; a != nil {
		desc, _ = literalString(a.Expr)
	}
	if strings.TrimSpace(desc) == "" {
		mc.problem(b.DefRange(), "output %q has no description", name)
	}
	if a := b.Body.Attributes["value"]; a != nil {
		sensitive := false
		if s := b.Body.Attributes["sensitive"]; s != nil {
			v, diags := s.Expr.Value(nil)
			sensitive = !diags.HasErrors() && v.True()
		}
		for _, t := range traversals(a.Expr) {
			if t.root == "var" && len(t.names) > 0 {
				if v := mc.m.Variables[t.names[0]]; v != nil && v.Sensitive && !sensitive && !wrappedInNonsensitive(a.Expr) {
					mc.problem(a.SrcRange, "output %q shows the sensitive variable %q but is not sensitive = true", name, v.Name)
				}
			}
		}
	} else {
		mc.problem(b.DefRange(), "output %q has no value", name)
	}
	mc.refsInBody(b.Body, scope{})
}

func wrappedInNonsensitive(expr hclsyntax.Expression) bool {
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	return ok && call.Name == "nonsensitive"
}

func (mc *moduleCheck) terraform(b *hclsyntax.Block) {
	for _, name := range sortedKeys(mc.m.RequiredProviders) {
		rp := mc.m.RequiredProviders[name]
		p := mc.c.Schema.Providers[name]
		if p == nil {
			mc.problem(b.DefRange(), "required provider %q has no schema to check against", name)
			continue
		}
		if rp.Source != p.Source {
			mc.problem(b.DefRange(), "required provider %q: source %q, but the schema is of %q", name, rp.Source, p.Source)
		}
		v := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rp.Version), "="))
		if v != p.Version {
			mc.problem(b.DefRange(), "required provider %q: version %q is not pinned to %s, the version whose schema is checked (%s)", name, rp.Version, p.Version, p.Package)
		}
	}
}

// providerOf returns the local provider name of a resource type.
func providerOf(typ string) string {
	name, _, _ := strings.Cut(typ, "_")
	return name
}

func (mc *moduleCheck) schemaFor(b *hclsyntax.Block, data bool) (*Block, bool) {
	typ := b.Labels[0]
	kind := "resource"
	if data {
		kind = "data source"
	}
	if !data {
		if s, ok := builtinResources[typ]; ok {
			return s, true
		}
	}
	pname := providerOf(typ)
	p := mc.c.Schema.Providers[pname]
	if p == nil {
		mc.problem(b.DefRange(), "%s type %q: no schema for a provider %q", kind, typ, pname)
		return nil, false
	}
	if _, ok := mc.m.RequiredProviders[pname]; !ok {
		mc.problem(b.DefRange(), "%s type %q: the module does not declare provider %q in required_providers", kind, typ, pname)
	}
	types, schemas := p.ResourceTypes, p.Resources
	if data {
		types, schemas = p.DataSourceTypes, p.DataSources
	}
	if !has(types, typ) {
		mc.problem(b.DefRange(), "%s %q does not exist in %s %s", kind, typ, p.Source, p.Version)
		return nil, false
	}
	s := schemas[typ]
	if s == nil {
		mc.problem(b.DefRange(), "%s %q is not in the extracted schema: run terraform/testdata/schema/generate.sh", kind, typ)
		return nil, false
	}
	return s, true
}

var (
	resourceMeta       = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true}
	resourceMetaBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}
	moduleMeta         = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "depends_on": true, "providers": true}
)

func (mc *moduleCheck) resource(b *hclsyntax.Block, data bool) {
	sc := scope{}
	if _, ok := b.Body.Attributes["count"]; ok {
		sc = sc.with("count")
	}
	if _, ok := b.Body.Attributes["for_each"]; ok {
		sc = sc.with("each")
	}
	s, ok := mc.schemaFor(b, data)
	if !ok {
		mc.refsInBody(b.Body, sc)
		return
	}
	what := b.Labels[0] + "." + b.Labels[1]
	mc.body(b.Body, s, what, sc, true)
}

// body checks a resource, data source, provider or nested block body
// against its schema, and the references of its expressions.
func (mc *moduleCheck) body(body *hclsyntax.Body, s *Block, what string, sc scope, top bool) {
	for _, name := range sortedKeys(body.Attributes) {
		a := body.Attributes[name]
		mc.refs(a.Expr, sc)
		if top && resourceMeta[name] {
			continue
		}
		as := s.Attributes[name]
		switch {
		case as == nil && s.Blocks[name] != nil:
			mc.problem(a.SrcRange, "%s: %q is a block, not an attribute: write %s { ... }", what, name, name)
		case as == nil:
			mc.problem(a.SrcRange, "%s: unknown attribute %q%s", what, name, suggest(name, s))
		case !as.Settable():
			mc.problem(a.SrcRange, "%s: %q is computed and cannot be set", what, name)
		case as.Nested != nil && as.Nesting != "":
			for _, obj := range objects(a.Expr) {
				mc.object(obj, as.Nested, what+"."+name)
			}
		}
	}
	for _, name := range sortedKeys(s.Attributes) {
		if s.Attributes[name].Required && body.Attributes[name] == nil {
			mc.problem(body.SrcRange, "%s: the required attribute %q is missing", what, name)
		}
	}
	seen := map[string]int{}
	for _, nb := range body.Blocks {
		switch {
		case top && resourceMetaBlocks[nb.Type]:
			inner := sc
			if nb.Type != "lifecycle" {
				inner = sc.with("self")
			}
			mc.refsInBody(nb.Body, inner)
			continue
		case nb.Type == "dynamic":
			name := nb.Labels[0]
			seen[name] += 2 // any number of blocks
			bs := s.Blocks[name]
			if bs == nil {
				if s.Attributes[name] != nil {
					mc.problem(nb.DefRange(), "%s: %q is an attribute; dynamic makes blocks only", what, name)
				} else {
					mc.problem(nb.DefRange(), "%s: unknown block type %q%s", what, name, suggest(name, s))
				}
				mc.refsInBody(nb.Body, sc.with(name))
				continue
			}
			iter := name
			for an, a := range nb.Body.Attributes {
				if an == "iterator" {
					if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
						iter = kw
					}
					continue
				}
				mc.refs(a.Expr, sc)
			}
			for _, content := range nb.Body.Blocks {
				if content.Type == "content" {
					mc.body(content.Body, bs.Block, what+"."+name, sc.with(iter), false)
				}
			}
			continue
		}
		bs := s.Blocks[nb.Type]
		if bs == nil {
			if s.Attributes[nb.Type] != nil {
				mc.problem(nb.DefRange(), "%s: %q is an attribute, not a block: write %s = ...", what, nb.Type, nb.Type)
			} else {
				mc.problem(nb.DefRange(), "%s: unknown block type %q%s", what, nb.Type, suggest(nb.Type, s))
			}
			mc.refsInBody(nb.Body, sc)
			continue
		}
		seen[nb.Type]++
		if seen[nb.Type] == 2 && (bs.MaxItems == 1 || bs.Nesting == "single") {
			mc.problem(nb.DefRange(), "%s: block %q may appear only once", what, nb.Type)
		}
		mc.body(nb.Body, bs.Block, what+"."+nb.Type, sc, false)
	}
	for _, name := range sortedKeys(s.Blocks) {
		if s.Blocks[name].Required && seen[name] == 0 {
			mc.problem(body.SrcRange, "%s: the required block %q is missing", what, name)
		}
	}
}

// object checks the keys of an object written for a nested attribute.
func (mc *moduleCheck) object(obj *hclsyntax.ObjectConsExpr, s *Block, what string) {
	keys := map[string]bool{}
	for _, item := range obj.Items {
		key := hcl.ExprAsKeyword(item.KeyExpr)
		if key == "" {
			k, ok := literalString(item.KeyExpr)
			if !ok {
				continue // a computed key: nothing to check
			}
			key = k
		}
		keys[key] = true
		as := s.Attributes[key]
		switch {
		case as == nil:
			mc.problem(item.KeyExpr.Range(), "%s: unknown attribute %q%s", what, key, suggest(key, s))
		case !as.Settable():
			mc.problem(item.KeyExpr.Range(), "%s: %q is computed and cannot be set", what, key)
		case as.Nested != nil && as.Nesting != "":
			for _, o := range objects(item.ValueExpr) {
				mc.object(o, as.Nested, what+"."+key)
			}
		}
	}
	for _, name := range sortedKeys(s.Attributes) {
		if s.Attributes[name].Required && !keys[name] {
			mc.problem(obj.SrcRange, "%s: the required attribute %q is missing", what, name)
		}
	}
}

// objects returns the object constructors that make up the value of
// expr: expr itself, the elements of tuples, the values of for
// expressions, both results of conditionals, and the arguments of
// concat, merge, flatten and tolist/toset.
func objects(expr hclsyntax.Expression) []*hclsyntax.ObjectConsExpr {
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		return []*hclsyntax.ObjectConsExpr{e}
	case *hclsyntax.TupleConsExpr:
		var out []*hclsyntax.ObjectConsExpr
		for _, x := range e.Exprs {
			out = append(out, objects(x)...)
		}
		return out
	case *hclsyntax.ForExpr:
		return objects(e.ValExpr)
	case *hclsyntax.ConditionalExpr:
		return append(objects(e.TrueResult), objects(e.FalseResult)...)
	case *hclsyntax.ParenthesesExpr:
		return objects(e.Expression)
	case *hclsyntax.FunctionCallExpr:
		switch e.Name {
		case "concat", "merge", "flatten", "tolist", "toset":
			var out []*hclsyntax.ObjectConsExpr
			for _, x := range e.Args {
				out = append(out, objects(x)...)
			}
			return out
		}
	}
	return nil
}

func (mc *moduleCheck) provider(b *hclsyntax.Block) {
	name := b.Labels[0]
	rp, ok := mc.m.RequiredProviders[name]
	if !ok {
		mc.problem(b.DefRange(), "provider %q is configured but not in required_providers", name)
	}
	p := mc.c.Schema.Providers[name]
	if p == nil || (ok && rp.Source != p.Source) {
		mc.problem(b.DefRange(), "provider %q: no schema to check its configuration against", name)
		mc.refsInBody(b.Body, scope{})
		return
	}
	cfg := *p.Config
	cfg.Attributes = map[string]*Attribute{}
	for k, v := range p.Config.Attributes {
		cfg.Attributes[k] = v
	}
	cfg.Attributes["alias"] = &Attribute{Type: "string", Optional: true}
	mc.body(b.Body, &cfg, "provider "+name, scope{}, false)
}

func (mc *moduleCheck) call(b *hclsyntax.Block) {
	name := b.Labels[0]
	sc := scope{}
	if _, ok := b.Body.Attributes["count"]; ok {
		sc = sc.with("count")
	}
	if _, ok := b.Body.Attributes["for_each"]; ok {
		sc = sc.with("each")
	}
	mc.refsInBody(b.Body, sc)
	dir, err := mc.m.ModuleSource(b)
	if err != nil {
		mc.problem(b.DefRange(), "%v", err)
		return
	}
	sub, err := mc.c.Module(dir)
	if err != nil {
		mc.problem(b.DefRange(), "module %q: %v", name, err)
		return
	}
	src, _ := literalString(b.Body.Attributes["source"].Expr)
	for _, arg := range sortedKeys(b.Body.Attributes) {
		if moduleMeta[arg] {
			continue
		}
		if sub.Variables[arg] == nil {
			mc.problem(b.Body.Attributes[arg].SrcRange, "module %q: %s declares no variable %q", name, src, arg)
		}
	}
	for _, v := range sortedKeys(sub.Variables) {
		if !sub.Variables[v].HasDefault && b.Body.Attributes[v] == nil {
			mc.problem(b.DefRange(), "module %q: the required variable %q is not set", name, v)
		}
	}
	for _, nb := range b.Body.Blocks {
		mc.problem(nb.DefRange(), "module %q: unexpected block %q", name, nb.Type)
	}
}

// refsInBody checks the references of every expression in body.
func (mc *moduleCheck) refsInBody(body *hclsyntax.Body, sc scope) {
	for _, name := range sortedKeys(body.Attributes) {
		mc.refs(body.Attributes[name].Expr, sc)
	}
	for _, b := range body.Blocks {
		inner := sc
		if b.Type == "dynamic" && len(b.Labels) > 0 {
			inner = sc.with(b.Labels[0])
		}
		mc.refsInBody(b.Body, inner)
	}
}

// ref is a reference: a root name and the attribute names after it
// (indexes and splats left out).
type ref struct {
	root  string
	names []string
	rng   hcl.Range
	local bool // root is a for-expression variable
}

// traversals returns the references in expr, joining splat expressions
// (x[*].y) into one reference.
func traversals(expr hclsyntax.Expression) []ref {
	var out []ref
	skip := map[hclsyntax.Node]bool{}
	forVars := map[string]bool{}
	_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ForExpr:
			if e.KeyVar != "" {
				forVars[e.KeyVar] = true
			}
			forVars[e.ValVar] = true
		case *hclsyntax.SplatExpr:
			src, ok := e.Source.(*hclsyntax.ScopeTraversalExpr)
			rel, ok2 := e.Each.(*hclsyntax.RelativeTraversalExpr)
			if ok && ok2 {
				if _, anon := rel.Source.(*hclsyntax.AnonSymbolExpr); anon {
					skip[src] = true
					t := append(append(hcl.Traversal{}, src.Traversal...), rel.Traversal...)
					out = append(out, toRef(t, e.SrcRange))
				}
			}
		case *hclsyntax.ScopeTraversalExpr:
			if !skip[e] {
				out = append(out, toRef(e.Traversal, e.SrcRange))
			}
		}
		return nil
	})
	for i := range out {
		out[i].local = forVars[out[i].root]
	}
	return out
}

func toRef(t hcl.Traversal, rng hcl.Range) ref {
	r := ref{root: t.RootName(), rng: rng}
	for _, step := range t[1:] {
		if a, ok := step.(hcl.TraverseAttr); ok {
			r.names = append(r.names, a.Name)
		}
	}
	return r
}

// refs checks every reference of expr.
func (mc *moduleCheck) refs(expr hclsyntax.Expression, sc scope) {
	m := mc.m
	for _, r := range traversals(expr) {
		if r.local || sc[r.root] {
			continue
		}
		first := ""
		if len(r.names) > 0 {
			first = r.names[0]
		}
		switch r.root {
		case "var":
			if m.Variables[first] == nil {
				mc.problem(r.rng, "var.%s is not declared", first)
			}
		case "local":
			if m.Locals[first] == nil {
				mc.problem(r.rng, "local.%s is not declared", first)
			}
		case "module":
			call := m.Calls[first]
			if call == nil {
				mc.problem(r.rng, "module.%s is not declared", first)
				continue
			}
			if len(r.names) < 2 {
				continue
			}
			dir, err := m.ModuleSource(call)
			if err != nil {
				continue
			}
			if sub, err := mc.c.Module(dir); err == nil && sub.Outputs[r.names[1]] == nil {
				mc.problem(r.rng, "module.%s has no output %q", first, r.names[1])
			}
		case "path":
			if !map[string]bool{"module": true, "root": true, "cwd": true}[first] {
				mc.problem(r.rng, "path.%s does not exist", first)
			}
		case "terraform":
			if first != "workspace" {
				mc.problem(r.rng, "terraform.%s does not exist", first)
			}
		case "count", "each", "self":
			mc.problem(r.rng, "%s is not available here", r.root)
		case "data":
			if len(r.names) < 2 {
				mc.problem(r.rng, "incomplete data source reference")
				continue
			}
			key := r.names[0] + "." + r.names[1]
			b := m.DataSources[key]
			if b == nil {
				mc.problem(r.rng, "data.%s is not declared", key)
				continue
			}
			mc.attrPath(b, true, r.names[2:], r.rng, "data."+key)
		default:
			if len(r.names) < 1 {
				mc.problem(r.rng, "unknown name %q", r.root)
				continue
			}
			key := r.root + "." + r.names[0]
			b := m.Resources[key]
			if b == nil {
				mc.problem(r.rng, "%s is not declared", key)
				continue
			}
			mc.attrPath(b, false, r.names[1:], r.rng, key)
		}
	}
}

// attrPath checks that the attributes read from a resource or data source
// exist, as deep as the schema tells.
func (mc *moduleCheck) attrPath(b *hclsyntax.Block, data bool, names []string, rng hcl.Range, what string) {
	var s *Block
	if !data {
		s = builtinResources[b.Labels[0]]
	}
	if s == nil {
		p := mc.c.Schema.Providers[providerOf(b.Labels[0])]
		if p == nil {
			return
		}
		if data {
			s = p.DataSources[b.Labels[0]]
		} else {
			s = p.Resources[b.Labels[0]]
		}
	}
	for _, name := range names {
		if s == nil {
			return
		}
		if a := s.Attributes[name]; a != nil {
			s = a.Nested
			what += "." + name
			continue
		}
		if nb := s.Blocks[name]; nb != nil {
			s = nb.Block
			what += "." + name
			continue
		}
		if name == "id" {
			return
		}
		mc.problem(rng, "%s has no attribute %q%s", what, name, suggest(name, s))
		return
	}
}

// suggest names the closest attribute or block name, if one is close.
func suggest(name string, s *Block) string {
	best, bestD := "", 3
	for _, n := range append(sortedKeys(s.Attributes), sortedKeys(s.Blocks)...) {
		if d := distance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
