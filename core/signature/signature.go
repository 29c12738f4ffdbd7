package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Header is the request header that carries the signature.
const Header = "novu-signature"

// LegacyHeader is the header name used by earlier Novu senders; Verify callers
// read it when Header is absent.
const LegacyHeader = "x-novu-signature"

// DefaultTolerance is how far a signature's timestamp may lie from the
// verifier's clock, in either direction.
const DefaultTolerance = 5 * time.Minute

// maxTimestampDigits bounds the "t" field: thirteen digits cover the years
// 2001 to 2286, a few more leave room without risking overflow.
const maxTimestampDigits = 16

var (
	// ErrNotSigned is returned when the request carries no signature header.
	ErrNotSigned = errors.New("signature: request is not signed")
	// ErrNoSecret is returned when no non-empty secret key is configured;
	// nothing is ever verified against an empty key.
	ErrNoSecret = errors.New("signature: no secret key configured")
	// ErrInvalidHeader is returned when the header is not a list of key=value
	// pairs with one decimal millisecond timestamp "t" and at least one "v1".
	ErrInvalidHeader = errors.New("signature: header is malformed")
	// ErrTooOld is returned when the timestamp is older than the tolerance.
	ErrTooOld = errors.New("signature: timestamp is too old")
	// ErrTooNew is returned when the timestamp lies further in the future
	// than the tolerance.
	ErrTooNew = errors.New("signature: timestamp is in the future")
	// ErrNoValidSignature is returned when no v1 entry matches the body under
	// any of the secret keys.
	ErrNoValidSignature = errors.New("signature: no valid signature for this body")
)

// emptyBody is what a request without a body is signed over.
var emptyBody = []byte("{}")

// parsed is a signature header that parse found well formed: its
// timestamp, and the header itself, whose v1 entries matches reads again.
type parsed struct {
	header    string
	timestamp string
}

// Compute returns the lower-case hex HMAC-SHA256 of timestamp + "." + body
// under secret, the value of a "v1" entry. An empty body is signed as "{}".
func Compute(secret string, timestamp string, body []byte) string {
	var sum [sha256.Size]byte
	mac(&sum, secret, timestamp, body)
	return hex.EncodeToString(sum[:])
}

// mac writes the MAC of timestamp + "." + body under secret into sum.
func mac(sum *[sha256.Size]byte, secret, timestamp string, body []byte) {
	if len(body) == 0 {
		body = emptyBody
	}
	pool := keyedPool(secret)
	st := pool.Get().(*keyedState)
	st.h.Reset()
	if n := len(timestamp); n < len(st.text) {
		copy(st.text[:], timestamp)
		st.text[n] = '.'
		st.h.Write(st.text[:n+1])
	} else {
		st.h.Write([]byte(timestamp))
		st.h.Write([]byte{'.'})
	}
	st.h.Write(body)
	copy(sum[:], st.h.Sum(st.sum[:0]))
	pool.Put(st)
}

// keyedState is a keyed HMAC state kept for reuse, with room for the
// timestamp and the dot it hashes first and for the sum it writes, so that
// computing a MAC allocates nothing.
type keyedState struct {
	h    hash.Hash
	text [maxTimestampDigits + 1]byte
	sum  [sha256.Size]byte
}

// Setting up an HMAC hashes its key twice, a third of the work for a small
// body, so keyed states are kept for reuse: a pool for each of the first
// maxKeyedPools keys seen (a bridge uses one or two), none for others.
const maxKeyedPools = 8

var keyed struct {
	sync.Mutex
	pools map[string]*sync.Pool
}

func keyedPool(secret string) *sync.Pool {
	keyed.Lock()
	defer keyed.Unlock()
	if p, ok := keyed.pools[secret]; ok {
		return p
	}
	p := &sync.Pool{New: func() any { return &keyedState{h: hmac.New(sha256.New, []byte(secret))} }}
	if len(keyed.pools) < maxKeyedPools {
		if keyed.pools == nil {
			keyed.pools = map[string]*sync.Pool{}
		}
		keyed.pools[secret] = p
	}
	return p
}

// Sign returns a header value that signs body with secret at time t, in the
// form Novu sends: "t=<ms>,v1=<hex>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.UnixMilli(), 10)
	return "t=" + ts + ",v1=" + Compute(secret, ts, body)
}

// Verify checks header against body with DefaultTolerance around now. It
// tries every non-empty key in secrets (a current key first, then fallbacks)
// against every v1 entry and returns nil as soon as one matches.
func Verify(header string, body []byte, now time.Time, secrets ...string) error {
	return VerifyWithTolerance(header, body, now, DefaultTolerance, secrets...)
}

// VerifyWithTolerance is Verify with a tolerance of the caller's choosing.
func VerifyWithTolerance(header string, body []byte, now time.Time, tolerance time.Duration, secrets ...string) error {
	keys := 0
	for _, s := range secrets {
		if s != "" {
			keys++
		}
	}
	if keys == 0 {
		return ErrNoSecret
	}
	if strings.TrimSpace(header) == "" {
		return ErrNotSigned
	}
	p, err := parse(header)
	if err != nil {
		return err
	}
	ms := p.millis()
	skew := now.UnixMilli() - ms
	if skew > tolerance.Milliseconds() {
		return ErrTooOld
	}
	if -skew > tolerance.Milliseconds() {
		return ErrTooNew
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		var want [sha256.Size]byte
		mac(&want, s, p.timestamp, body)
		if p.matches(&want) {
			return nil
		}
	}
	return ErrNoValidSignature
}

// parse reads "k=v" pairs separated by commas. Spaces around pairs are
// ignored and unknown keys skipped; "t" must appear exactly once as a decimal
// integer and "v1" at least once. A v1 entry that is not lower-case hex of a
// SHA-256 MAC can never match, but still counts, so that the header reads
// as signed and the answer is a mismatch.
func parse(header string) (parsed, error) {
	p := parsed{header: header}
	seenT, bad, entries := false, false, 0
	wellFormed := pairs(header, func(k, v string) bool {
		switch k {
		case "t":
			if seenT || !isTimestamp(v) {
				bad = true
				return false
			}
			seenT = true
			p.timestamp = v
		case "v1":
			if v != "" {
				entries++
			}
		}
		return true
	})
	if !wellFormed || bad || !seenT || entries == 0 {
		return parsed{}, ErrInvalidHeader
	}
	return p, nil
}

// pairs calls yield with the key and value of every "k=v" pair of header,
// in order, spaces around pairs trimmed and empty pairs skipped, until
// yield returns false. It reports false for a pair without "=" or without
// a key.
func pairs(header string, yield func(k, v string) bool) bool {
	for {
		part, rest, more := strings.Cut(header, ",")
		if part = strings.TrimSpace(part); part != "" {
			k, v, ok := strings.Cut(part, "=")
			if !ok || k == "" {
				return false
			}
			if !yield(k, v) {
				return true
			}
		}
		if !more {
			return true
		}
		header = rest
	}
}

// matches reports whether one of p's v1 entries is want. Entries are
// compared as text with want's lower-case hex, in constant time, so that
// an entry in any other form never matches.
func (p parsed) matches(want *[sha256.Size]byte) bool {
	var text [2 * sha256.Size]byte
	hex.Encode(text[:], want[:])
	found := false
	pairs(p.header, func(k, v string) bool {
		found = k == "v1" && sameText(v, &text)
		return !found
	})
	return found
}

// sameText reports whether v holds text, taking the same time whatever
// their bytes.
func sameText(v string, text *[2 * sha256.Size]byte) bool {
	if len(v) != len(text) {
		return false
	}
	var diff byte
	for i := range text {
		diff |= v[i] ^ text[i]
	}
	return diff == 0
}

// millis is the timestamp's value; parse checked that it is at most
// maxTimestampDigits decimal digits.
func (p parsed) millis() int64 {
	var ms int64
	for i := 0; i < len(p.timestamp); i++ {
		ms = ms*10 + int64(p.timestamp[i]-'0')
	}
	return ms
}

func isTimestamp(v string) bool {
	if v == "" || len(v) > maxTimestampDigits {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}
