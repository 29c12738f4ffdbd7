package core

// StepType names a kind of step, as Novu does.
type StepType string

// The step types. Channel steps deliver a message; action steps shape the
// flow of a workflow.
const (
	StepEmail       StepType = "email"
	StepSMS         StepType = "sms"
	StepPush        StepType = "push"
	StepChat        StepType = "chat"
	StepInApp       StepType = "in_app"
	StepTool        StepType = "tool"
	StepDelay       StepType = "delay"
	StepDigest      StepType = "digest"
	StepThrottle    StepType = "throttle"
	StepCustom      StepType = "custom"
	StepHTTPRequest StepType = "http_request"
)

// TimeUnit is the unit of a delay, digest or throttle window.
type TimeUnit string

// Time units.
const (
	Seconds TimeUnit = "seconds"
	Minutes TimeUnit = "minutes"
	Hours   TimeUnit = "hours"
	Days    TimeUnit = "days"
	Weeks   TimeUnit = "weeks"
	Months  TimeUnit = "months"
)

// EmailOutput is what an email step's resolver returns.
type EmailOutput struct {
	Subject             string     `json:"subject"`
	Body                string     `json:"body"`
	From                *EmailFrom `json:"from,omitempty"`
	ReplyTo             string     `json:"replyTo,omitempty"`
	Preheader           string     `json:"preheader,omitempty"`
	UseProviderDefaults *bool      `json:"useProviderDefaults,omitempty"`
}

// EmailFrom overrides the sender of one email.
type EmailFrom struct {
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

// SMSOutput is what an sms step's resolver returns.
type SMSOutput struct {
	Body string `json:"body"`
}

// PushOutput is what a push step's resolver returns.
type PushOutput struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// ChatOutput is what a chat step's resolver returns: a body, a card, or
// both. Card follows Novu's card format ({"type": "card", "title": ...,
// "children": [...]}).
type ChatOutput struct {
	Body string         `json:"body,omitempty"`
	Card map[string]any `json:"card,omitempty"`
}

// InAppOutput is what an in-app step's resolver returns; a subject or a
// body is required.
type InAppOutput struct {
	Subject         string         `json:"subject,omitempty"`
	Body            string         `json:"body,omitempty"`
	Avatar          string         `json:"avatar,omitempty"`
	PrimaryAction   *InAppAction   `json:"primaryAction,omitempty"`
	SecondaryAction *InAppAction   `json:"secondaryAction,omitempty"`
	Data            map[string]any `json:"data,omitempty"`
	Redirect        *Redirect      `json:"redirect,omitempty"`
}

// InAppAction is a button on an in-app notification.
type InAppAction struct {
	Label    string    `json:"label"`
	Redirect *Redirect `json:"redirect,omitempty"`
}

// Redirect is where an in-app notification or action leads. Target
// defaults to "_self" for paths and "_blank" for URLs.
type Redirect struct {
	URL    string `json:"url"`
	Target string `json:"target,omitempty"`
}

// ToolOutput is what a tool step's resolver returns.
type ToolOutput struct {
	Body string `json:"body"`
}

// DelayOutput configures a delay step: an amount of time (Type "regular",
// the default), a cron schedule (Type "timed") or a time read from the
// payload (Type "dynamic").
type DelayOutput struct {
	Type             string   `json:"type,omitempty"`
	Amount           int      `json:"amount,omitempty"`
	Unit             TimeUnit `json:"unit,omitempty"`
	Cron             string   `json:"cron,omitempty"`
	DynamicKey       string   `json:"dynamicKey,omitempty"`
	ExtendToSchedule *bool    `json:"extendToSchedule,omitempty"`
}

// DigestOutput configures a digest step: collect events for an amount of
// time (optionally per DigestKey, with a look-back window) or until a cron
// schedule fires (Type "timed").
type DigestOutput struct {
	Type             string          `json:"type,omitempty"`
	Amount           int             `json:"amount,omitempty"`
	Unit             TimeUnit        `json:"unit,omitempty"`
	Cron             string          `json:"cron,omitempty"`
	DigestKey        string          `json:"digestKey,omitempty"`
	LookBackWindow   *LookBackWindow `json:"lookBackWindow,omitempty"`
	ExtendToSchedule *bool           `json:"extendToSchedule,omitempty"`
}

// LookBackWindow makes a digest send the first event at once when none came
// within the window.
type LookBackWindow struct {
	Amount int      `json:"amount"`
	Unit   TimeUnit `json:"unit"`
}

// ThrottleOutput configures a throttle step: at most Threshold executions
// per window (Type "fixed"), or per a window read from the payload (Type
// "dynamic").
type ThrottleOutput struct {
	Type        string   `json:"type"`
	Amount      int      `json:"amount,omitempty"`
	Unit        TimeUnit `json:"unit,omitempty"`
	DynamicKey  string   `json:"dynamicKey,omitempty"`
	Threshold   int      `json:"threshold,omitempty"`
	ThrottleKey string   `json:"throttleKey,omitempty"`
}

// DigestResult is what a digest step collected, as later steps see it.
type DigestResult struct {
	EventCount int           `json:"eventCount,omitempty"`
	Events     []DigestEvent `json:"events"`
}

// DigestEvent is one trigger collected by a digest.
type DigestEvent struct {
	ID      string         `json:"id"`
	Time    string         `json:"time"`
	Payload map[string]any `json:"payload"`
}

// DelayResult is how long a delay step waited, in milliseconds.
type DelayResult struct {
	Duration float64 `json:"duration"`
}

// InAppResult is what the subscriber did with an in-app notification.
type InAppResult struct {
	Seen         bool    `json:"seen"`
	Read         bool    `json:"read"`
	LastSeenDate *string `json:"lastSeenDate"`
	LastReadDate *string `json:"lastReadDate"`
}

// ThrottleResult tells whether a throttle step held the workflow back.
type ThrottleResult struct {
	Throttled      bool   `json:"throttled"`
	ExecutionCount int    `json:"executionCount,omitempty"`
	Threshold      int    `json:"threshold,omitempty"`
	WindowStart    string `json:"windowStart,omitempty"`
}

// Subscriber is the recipient of a workflow run, as Novu sends it.
type Subscriber struct {
	ID           string         `json:"_id,omitempty"`
	SubscriberID string         `json:"subscriberId,omitempty"`
	FirstName    string         `json:"firstName,omitempty"`
	LastName     string         `json:"lastName,omitempty"`
	Email        string         `json:"email,omitempty"`
	Phone        string         `json:"phone,omitempty"`
	Avatar       string         `json:"avatar,omitempty"`
	Locale       string         `json:"locale,omitempty"`
	Timezone     string         `json:"timezone,omitempty"`
	Data         map[string]any `json:"data,omitempty"`
}

// Passthrough is merged by Novu into the HTTP request it makes to a
// provider.
type Passthrough struct {
	Body    map[string]any    `json:"body,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Query   map[string]string `json:"query,omitempty"`
}

// ProviderOutput is what a provider override returns: fields validated
// against the provider's schema, and an optional passthrough.
type ProviderOutput struct {
	// Fields is a struct (its fields keep their order) or a map (sorted by
	// key) of the provider's request fields to override.
	Fields      any
	Passthrough *Passthrough
}
