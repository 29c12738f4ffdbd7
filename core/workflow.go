package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/echofn/echofn/core/internal/schema"
)

// Severity is how urgent a workflow's notifications are.
type Severity string

// Severities.
const (
	SeverityNone   Severity = "none"
	SeverityLow    Severity = "low"
	SeverityMedium Severity = "medium"
	SeverityHigh   Severity = "high"
)

// WorkflowOptions describe a workflow beyond its steps. All are optional.
type WorkflowOptions struct {
	// Name and Description are shown in the Novu dashboard; Name defaults
	// to the workflow id.
	Name        string
	Description string
	Tags        []string
	// Severity defaults to SeverityNone.
	Severity Severity
	// Preferences are the subscriber preference defaults.
	Preferences Preferences
	// PayloadSchema replaces the schema derived from the payload type.
	PayloadSchema json.RawMessage
	// ControlSchema and EnvSchema are published as they are; Novu does not
	// validate workflow-level controls or env.
	ControlSchema json.RawMessage
	EnvSchema     json.RawMessage
}

// Preferences are a workflow's default subscriber preferences.
type Preferences struct {
	All      *WorkflowPreference `json:"all,omitempty"`
	Channels *ChannelPreferences `json:"channels,omitempty"`
}

// WorkflowPreference applies to every channel of the workflow.
type WorkflowPreference struct {
	Enabled  *bool `json:"enabled,omitempty"`
	ReadOnly *bool `json:"readOnly,omitempty"`
}

// ChannelPreferences turn single channels on or off by default.
type ChannelPreferences struct {
	Email *ChannelPreference `json:"email,omitempty"`
	SMS   *ChannelPreference `json:"sms,omitempty"`
	Push  *ChannelPreference `json:"push,omitempty"`
	Chat  *ChannelPreference `json:"chat,omitempty"`
	InApp *ChannelPreference `json:"in_app,omitempty"`
}

// ChannelPreference turns one channel on or off by default.
type ChannelPreference struct {
	Enabled bool `json:"enabled"`
}

// Workflow is a defined workflow, ready to be served by a Bridge.
type Workflow struct {
	id            string
	opts          WorkflowOptions
	payloadSchema *schema.Schema
	controlSchema *schema.Schema
	envSchema     *schema.Schema
	steps         []*stepDef
	code          string
	err           error
}

// ID returns the workflow's id, the name it is triggered by.
func (w *Workflow) ID() string { return w.id }

// Err reports what is wrong with the definition, if anything; New refuses a
// workflow with an error.
func (w *Workflow) Err() error { return w.err }

// NewWorkflow defines a workflow whose trigger payload is P. P's JSON
// Schema (from `json` and `jsonschema` struct tags) is what Novu validates
// triggers against; use map[string]any to accept any object.
//
// Mistakes in the definition (duplicate step ids, schemas that do not
// compile, options for the wrong types) are reported by Err and by New.
func NewWorkflow[P any](id string, opts WorkflowOptions, steps ...Step[P]) *Workflow {
	w := &Workflow{id: id, opts: opts, code: fmt.Sprintf("workflow %q with payload %s", id, reflect.TypeFor[P]())}
	var errs []error
	if id == "" {
		errs = append(errs, errors.New("a workflow needs an id"))
	}
	if w.opts.Severity == "" {
		w.opts.Severity = SeverityNone
	}
	if w.opts.Tags == nil {
		w.opts.Tags = []string{}
	}
	var err error
	if len(opts.PayloadSchema) > 0 {
		w.payloadSchema, err = schema.Compile(opts.PayloadSchema)
	} else {
		var raw []byte
		if raw, err = schema.For(reflect.TypeFor[P]()); err == nil {
			w.payloadSchema, err = schema.Compile(raw)
		}
	}
	if err != nil {
		errs = append(errs, fmt.Errorf("payload schema: %w", err))
	}
	w.controlSchema, err = optionalSchema(opts.ControlSchema)
	if err != nil {
		errs = append(errs, fmt.Errorf("control schema: %w", err))
	}
	w.envSchema, err = optionalSchema(opts.EnvSchema)
	if err != nil {
		errs = append(errs, fmt.Errorf("env schema: %w", err))
	}
	seen := map[string]bool{}
	for _, s := range steps {
		if s.def == nil {
			errs = append(errs, errors.New("a zero Step was given"))
			continue
		}
		if seen[s.def.id] {
			errs = append(errs, &Error{Status: 409, Code: CodeStepAlreadyExists,
				Message: fmt.Sprintf("Step with id: `%s` already exists. Please use a different id.", s.def.id)})
		}
		seen[s.def.id] = true
		errs = append(errs, s.def.errs...)
		w.steps = append(w.steps, s.def)
	}
	if len(errs) > 0 {
		w.err = fmt.Errorf("workflow %q: %w", id, errors.Join(errs...))
	}
	return w
}

func optionalSchema(raw json.RawMessage) (*schema.Schema, error) {
	if len(raw) == 0 {
		return schema.Shared(schema.Default), nil
	}
	return schema.Compile(raw)
}

func (w *Workflow) step(id string) (int, *stepDef) {
	for i, s := range w.steps {
		if s.id == id {
			return i, s
		}
	}
	return -1, nil
}
