package core

// SmallBodyBytes is the size up to which a request body needs no room
// reserved with ReserveBody. Novu's calls carry bodies of a few KiB; a
// transport may read bodies up to this size with the request's header,
// so that memory per connection stays bounded by it.
const SmallBodyBytes = 64 << 10

// DefaultMaxBodyBytesInFlight is how much memory request bodies larger
// than SmallBodyBytes may take at once, unless Config says otherwise:
// six bodies of DefaultMaxBodyBytes.
const DefaultMaxBodyBytesInFlight = 32 << 20

// noRoom is the release function of bodies that need no room.
func noRoom() {}

// ReserveBody reserves room for a request body of n bytes before a
// transport reads it; for a body of unknown length, n should be
// MaxBodyBytes. It returns the function that gives the room back, to be
// called once the bridge has answered, or ok false when the bodies being
// read and handled already take Config.MaxBodyBytesInFlight: the transport
// then answers with HandleBusy without reading the body. A body of at most
// SmallBodyBytes always has room, and a body alone always fits.
func (b *Bridge) ReserveBody(n int64) (release func(), ok bool) {
	limit := b.cfg.MaxBodyBytesInFlight
	if n <= SmallBodyBytes || limit < 0 {
		return noRoom, true
	}
	for {
		held := b.bodyBytes.Load()
		if held > 0 && held+n > limit {
			return nil, false
		}
		if b.bodyBytes.CompareAndSwap(held, held+n) {
			return func() { b.bodyBytes.Add(-n) }, true
		}
	}
}

// HandleBusy answers a request whose body found no room (ReserveBody)
// with 503, which Novu Cloud retries, and logs it.
func (b *Bridge) HandleBusy(r *Request) *Response {
	return b.errorResponse(r, newError(503, CodeBridge,
		"The bridge is reading as many large request bodies as it may at once. Please try again later."))
}
