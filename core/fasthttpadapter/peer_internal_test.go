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

func TestPeerWatch(t *testing.T) {
	var w peerWatch
	gone, goneServer := pair(t)
	stay, stayServer := pair(t)
	goneCtx, goneCancel := context.WithCancelCause(context.Background())
	stayCtx, stayCancel := context.WithCancelCause(context.Background())
	goneSlot := w.add(goneServer, goneCancel)
	staySlot := w.add(stayServer, stayCancel)
	time.Sleep(2*peerCheckInterval + 20*time.Millisecond) // checked at least once
	if goneCtx.Err() != nil || stayCtx.Err() != nil {
		t.Fatalf("cancelled while the clients wait: %v, %v", context.Cause(goneCtx), context.Cause(stayCtx))
	}
	gone.Close()
	select {
	case <-goneCtx.Done():
		if !errors.Is(context.Cause(goneCtx), ErrClientGone) {
			t.Errorf("cause %v, want ErrClientGone", context.Cause(goneCtx))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the request whose client left was not cancelled")
	}
	w.remove(goneSlot)
	if stayCtx.Err() != nil {
		t.Fatalf("the other request was cancelled: %v", context.Cause(stayCtx))
	}
	w.remove(staySlot)
	stayCancel(nil)
	// With nothing in flight, the checking goroutine ends.
	deadline := time.Now().Add(5 * time.Second)
	for {
		w.mu.Lock()
		running := w.running
		w.mu.Unlock()
		if !running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the checking goroutine is still running with nothing in flight")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = stay
}

func BenchmarkPeerWatch(b *testing.B) {
	_, server := pair(b)
	var w peerWatch
	b.ReportAllocs()
	for b.Loop() {
		ctx, cancel := context.WithCancelCause(context.Background())
		slot := w.add(server, cancel)
		_ = ctx
		w.remove(slot)
		cancel(nil)
	}
}
