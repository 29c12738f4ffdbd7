// Package samples gathers the sample workflows that `echofn serve` and
// `echofn dev` serve, each in its own package to copy into a project:
// welcome (onboarding email and Inbox message), passwordreset (a one-time
// code by SMS with an email fallback), commentdigest (a digest of comments
// sent to the Inbox and by email) and orderupdates (push and Slack with
// provider overrides, and a delay).
package samples
