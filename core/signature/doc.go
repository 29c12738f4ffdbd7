// Package signature signs and verifies the HMAC signatures that Novu puts on
// every call to a bridge.
//
// A signature header has the form
//
//	t=<unix milliseconds>,v1=<lower-case hex HMAC-SHA256>
//
// and is sent as "novu-signature" (older senders used "x-novu-signature").
// The MAC is computed with the environment's secret key over the timestamp
// text, a full stop and the request body exactly as sent; a request without a
// body (every GET) is signed over "{}".
//
// Verify is stricter than Novu's own SDK: it checks the raw bytes rather than a
// re-serialised body, rejects timestamps too far in the future as well as the
// past, accepts any of several v1 entries, and can try a fallback key so that a
// secret can be rotated without downtime.
package signature
