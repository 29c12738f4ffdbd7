package core

import (
	"fmt"
	"strings"
)

// Error codes, as Novu's SDK names them. Novu Cloud recognises a bridge
// error by its code.
const (
	CodeBridge                       = "BridgeError"
	CodeExecutionEventPayloadInvalid = "ExecutionEventPayloadInvalidError"
	CodeExecutionStateControlInvalid = "ExecutionStateControlInvalidError"
	CodeExecutionStateCorrupt        = "ExecutionStateCorruptError"
	CodeExecutionStateOutputInvalid  = "ExecutionStateOutputInvalidError"
	CodeExecutionStateResultInvalid  = "ExecutionStateResultInvalidError"
	CodeInvalidAction                = "InvalidActionError"
	CodeMethodNotAllowed             = "MethodNotAllowedError"
	CodeMissingSecretKey             = "MissingSecretKeyError"
	CodeProviderExecutionFailed      = "ProviderExecutionFailedError"
	CodeSignatureExpired             = "SignatureExpiredError"
	CodeSignatureInvalid             = "SignatureInvalidError"
	CodeSignatureMismatch            = "SignatureMismatchError"
	CodeSignatureNotFound            = "SignatureNotFoundError"
	CodeSigningKeyNotFound           = "SigningKeyNotFoundError"
	CodeStepAlreadyExists            = "StepAlreadyExistsError"
	CodeStepControlCompilationFailed = "StepControlCompilationFailedError"
	CodeStepExecutionFailed          = "StepExecutionFailedError"
	CodeStepNotFound                 = "StepNotFoundError"
	CodeWorkflowAlreadyExists        = "WorkflowAlreadyExistsError"
	CodeWorkflowNotFound             = "WorkflowNotFoundError"
)

// Error is an error answered to Novu: an HTTP status and a body of the form
// {"message": ..., "data": ..., "code": ...}.
//
// A resolver may return an *Error to answer with it as it is; any other error
// from a resolver becomes a StepExecutionFailedError (502).
type Error struct {
	Status  int
	Code    string
	Message string
	// Data is extra detail (validation errors, ids); nil leaves it out.
	Data any
	// cause is logged but never sent.
	cause error
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Unwrap returns the error that caused this one, if any.
func (e *Error) Unwrap() error { return e.cause }

func newError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func errWorkflowNotFound(id string) *Error {
	return newError(404, CodeWorkflowNotFound, "Workflow with id: `%s` does not exist. Please provide a valid id.", id)
}

func errStepNotFound(id string) *Error {
	return newError(404, CodeStepNotFound, "Step with id: `%s` does not exist. Please provide a valid id.", id)
}

func errInvalidAction(action string, allowed []string) *Error {
	return newError(400, CodeInvalidAction, "Invalid query string: `action`=`%s`. Please use one of %s", action, quoteList(allowed))
}

func errMethodNotAllowed() *Error {
	return newError(405, CodeMethodNotAllowed, "Method not allowed. Please use one of %s", quoteList([]string{"POST", "GET", "OPTIONS"}))
}

func errPayloadInvalid(wf string, data any) *Error {
	e := newError(400, CodeExecutionEventPayloadInvalid, "Workflow with id: `%s` has invalid `payload`. Please provide the correct event payload.", wf)
	e.Data = data
	return e
}

func errControlsInvalid(wf, step string, data any) *Error {
	e := newError(400, CodeExecutionStateControlInvalid, "Workflow with id: `%s` has an invalid state. Step with id: `%s` has invalid `controls`. Please provide the correct step controls.", wf, step)
	e.Data = data
	return e
}

func errControlsCompilation(wf, step string, data any, cause error) *Error {
	e := newError(400, CodeStepControlCompilationFailed, "Workflow with id: `%s` has invalid controls syntax in step with id: `%s`. Please correct step control syntax.", wf, step)
	e.Data, e.cause = data, cause
	return e
}

func errStateCorrupt(wf, step string) *Error {
	e := newError(400, CodeExecutionStateCorrupt, "Workflow with id: `%s` has a corrupt state. Step with id: `%s` does not exist. Please provide the missing state.", wf, step)
	e.Data = map[string]string{"workflowId": wf, "stepId": step}
	return e
}

func errResultInvalid(wf, step string, data any) *Error {
	e := newError(400, CodeExecutionStateResultInvalid, "Workflow with id: `%s` has an invalid state. Step with id: `%s` has invalid result. Please provide the correct step result.", wf, step)
	e.Data = data
	return e
}

func errOutputInvalid(wf, step string, data any) *Error {
	e := newError(400, CodeExecutionStateOutputInvalid, "Workflow with id: `%s` has an invalid state. Step with id: `%s` has invalid output. Please provide the correct step output.", wf, step)
	e.Data = data
	return e
}

func errStepFailed(step, action string, cause error) *Error {
	e := newError(502, CodeStepExecutionFailed, "Failed to %s Step with id: `%s`: %s", action, step, errorText(cause))
	e.cause = cause
	return e
}

func errOverrunning(n int64) *Error {
	return newError(503, CodeBridge, "Too many steps are still running past their deadline (%d); no step is started until fewer are. Please try again later.", n)
}

func errProviderFailed(provider, action string, cause error) *Error {
	e := newError(502, CodeProviderExecutionFailed, "Failed to %s Provider with id: `%s`: %s", action, provider, errorText(cause))
	e.cause = cause
	return e
}

func errBadRequest(format string, args ...any) *Error {
	return newError(400, CodeBridge, format, args...)
}

func errorText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}
