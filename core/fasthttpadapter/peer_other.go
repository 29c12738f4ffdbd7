//go:build !unix

package fasthttpadapter

import "net"

// canPeek is false where a socket cannot be peeked at: requests there run
// until answered or timed out, whether or not the client waits.
func canPeek(net.Conn) bool { return false }

func peerClosed(net.Conn) bool { return false }
