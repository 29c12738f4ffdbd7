package core

import "io"

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

// ReadRequestBody reads req's body from r into req.Body, for a transport:
// n is the body's length, or negative when it is unknown (chunked). It
// refuses a body longer than MaxBodyBytes with 413, without reading it when
// n says so; a body larger than SmallBodyBytes for which there is no room
// (ReserveBody) with 503, unread; and a body that breaks off with 400. A
// body of unknown length needs room only once it has turned out larger than
// SmallBodyBytes. A body of known length is read into req.Body's room when
// it has enough (a buffer the transport keeps), else into a new one. It
// returns the function that gives the body's room back, to be called once
// the bridge has answered, or the answer to send instead.
func (b *Bridge) ReadRequestBody(req *Request, r io.Reader, n int64) (release func(), refused *Response) {
	limit := b.cfg.MaxBodyBytes
	if n > limit {
		return nil, b.HandleOversized(req)
	}
	var head []byte
	if n < 0 {
		var err error
		if head, err = io.ReadAll(io.LimitReader(r, min(limit, SmallBodyBytes)+1)); err != nil {
			return nil, b.HandleBadRequest(req, unreadableBody)
		}
		if int64(len(head)) > limit {
			return nil, b.HandleOversized(req)
		}
		if len(head) <= SmallBodyBytes {
			req.Body = head
			return noRoom, nil
		}
	}
	room := n
	if n < 0 {
		room = limit
	}
	release, ok := b.ReserveBody(room)
	if !ok {
		return nil, b.HandleBusy(req)
	}
	var err error
	if n >= 0 {
		if int64(cap(req.Body)) >= n {
			req.Body = req.Body[:n]
		} else {
			req.Body = make([]byte, n)
		}
		_, err = io.ReadFull(r, req.Body)
	} else {
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(r, limit-int64(len(head))+1))
		if req.Body = append(head, rest...); err == nil && int64(len(req.Body)) > limit {
			req.Body = nil
			release()
			return nil, b.HandleOversized(req)
		}
	}
	if err != nil {
		req.Body = nil
		release()
		return nil, b.HandleBadRequest(req, unreadableBody)
	}
	return release, nil
}

// unreadableBody is the message of a body that broke off.
const unreadableBody = "Could not read the request body."
