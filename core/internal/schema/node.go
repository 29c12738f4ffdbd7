package schema

import "github.com/dlclark/regexp2"

// node is one compiled schema: a boolean schema, or an object schema with
// its keywords grouped as Ajv groups them. Ajv evaluates the keywords that
// apply to any type first, then those of numbers, strings, arrays and
// objects, each group in a fixed keyword order; the fields below follow
// that order.
type node struct {
	isBool  bool // a boolean schema, whose value is boolVal
	boolVal bool
	trivial bool // an object without any keyword Ajv knows: always valid

	ref     *refLink // "$ref"
	refOnly bool     // "$ref" is the only keyword, the others are ignored

	types      []typeSet
	typeMsg    string // "must be string", as Ajv words a type error
	checkTypes bool   // the type is checked before every keyword
	typeGroup  group  // otherwise the group that reports a wrong type, if any

	used [groupCount]bool // which groups have keywords

	// any type
	constVal any
	hasConst bool
	enum     []any
	not      *node
	anyOf    []*node
	anyOfOff bool // a branch is always valid: anyOf checks nothing
	oneOf    []*node
	allOf    []*node
	ifNode   *node
	thenNode *node // nil when absent or always valid
	elseNode *node

	// numbers
	numLimits  []numLimit
	multipleOf *numLimit
	format     *formatCheck

	// strings
	lenLimits    []lenLimit
	pattern      *regexp2.Regexp
	patternMsg   string
	formatLimits []formatLimit

	// arrays
	itemLimits      []lenLimit
	tupleDefaults   []indexDefault
	addItems        *node // "additionalItems" when "items" is an array
	addItemsFalse   bool
	addItemsMsg     string
	items           *node   // "items" as one schema
	tuple           []*node // "items" as an array; nil entries are always valid
	isTuple         bool
	contains        *node
	containsAlways  bool
	hasContains     bool
	unique          bool
	uniqueTypes     typeSet // item types when duplicates are found by value
	uniqueByTypeKey bool

	// objects
	propLimits    []lenLimit
	required      []requiredProp
	propertyNames *node
	addProps      *node // "additionalProperties" as a schema that is not always valid
	addPropsFalse bool
	declared      []string // names in "properties"
	addPatterns   []*regexp2.Regexp
	propDeps      []propDep
	schemaDeps    []schemaDep
	defaults      []propDefault
	props         []propSchema
	patProps      []patSchema
}

type group int

const (
	groupAny group = iota
	groupNumber
	groupString
	groupArray
	groupObject
	groupCount
	groupNone = groupCount
)

// refLink is a resolved "$ref": the target is either evaluated in place
// (Ajv inlines schemas without references) or called as a function of its
// own, which starts outside any anyOf, oneOf, not or if.
type refLink struct {
	target *node
	call   bool
}

type numLimit struct {
	kind  numKind
	limit float64
	msg   string
}

type numKind int

const (
	kindMaximum numKind = iota
	kindMinimum
	kindExclusiveMaximum
	kindExclusiveMinimum
)

// lenLimit is a maximum (max true) or minimum on a length or a count.
type lenLimit struct {
	max   bool
	limit float64
	msg   string
}

type indexDefault struct {
	index int
	value any
}

type requiredProp struct {
	name, msg string
}

type propDep struct {
	prop string
	deps []string
	msg  string
}

type schemaDep struct {
	prop string
	node *node
}

type propDefault struct {
	name  string
	value any
}

type propSchema struct {
	name       string
	node       *node
	hasDefault bool
}

type patSchema struct {
	re     *regexp2.Regexp
	node   *node
	always bool
}

type formatCheck struct {
	number func(float64) bool // nil when the format is not a number format
	str    func(string) bool  // nil when the format is not a string format
	msg    string
}

type formatLimit struct {
	compare func(a, b string) (int, bool)
	limit   string
	kind    numKind
	msg     string
}
