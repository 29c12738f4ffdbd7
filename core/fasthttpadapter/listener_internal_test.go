package fasthttpadapter

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
)

// TestListenerConnContext checks that a connection from Listener carries a
// context that lives as long as the connection and ends when it closes,
// and that reads and writes pass through.
func TestListenerConnContext(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := Listener(inner)
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c, ok := nc.(*conn)
	if !ok {
		t.Fatalf("Accept returned a %T, want *conn", nc)
	}
	for range 3 {
		if _, err := client.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4)
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
			t.Fatalf("read %q, %v", buf, err)
		}
		if _, err := c.Write([]byte("pong")); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(client, buf); err != nil || string(buf) != "pong" {
			t.Fatalf("client read %q, %v", buf, err)
		}
		if err := c.ctx.Err(); err != nil {
			t.Fatalf("the context ended while the connection is open: %v", err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(context.Cause(c.ctx), context.Canceled) {
		t.Errorf("after Close the cause is %v, want context.Canceled", context.Cause(c.ctx))
	}
	if err := c.Close(); err == nil {
		t.Error("a second Close reported no error")
	}
}
