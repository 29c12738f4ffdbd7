package fasthttpadapter

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// pair returns both ends of a loopback TCP connection.
func pair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

func TestPeerClosed(t *testing.T) {
	client, server := pair(t)
	if peerClosed(server) {
		t.Fatal("an open, quiet connection reads as closed")
	}
	if _, err := client.Write([]byte("GET / HTTP/1.1\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if peerClosed(server) {
		t.Fatal("a connection with data waiting reads as closed")
	}
	buf := make([]byte, 64)
	if n, _ := server.Read(buf); n != 16 {
		t.Fatalf("the peek consumed data: read %d bytes, want 16", n)
	}
	client.Close()
	time.Sleep(20 * time.Millisecond)
	if !peerClosed(server) {
		t.Fatal("a connection the client closed reads as open")
	}
}

func TestWatchPeerStopsCleanly(t *testing.T) {
	client, server := pair(t)
	ctx, done := watchPeer(server)
	time.Sleep(2*peerCheckInterval + 20*time.Millisecond) // checked twice, client still there
	if ctx.Err() != nil {
		t.Fatalf("cancelled while the client waits: %v", context.Cause(ctx))
	}
	done()
	if !errors.Is(ctx.Err(), context.Canceled) || errors.Is(context.Cause(ctx), ErrClientGone) {
		t.Fatalf("after done: %v, cause %v", ctx.Err(), context.Cause(ctx))
	}
	client.Close()
}

func BenchmarkWatchPeer(b *testing.B) {
	_, server := pair(b)
	b.ReportAllocs()
	for b.Loop() {
		_, done := watchPeer(server)
		done()
	}
}
