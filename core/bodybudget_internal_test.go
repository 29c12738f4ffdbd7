package core

import (
	"sync"
	"testing"
)

func TestReserveBody(t *testing.T) {
	b, err := New(Config{SecretKey: "sk_test", MaxBodyBytesInFlight: 1000 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.ReserveBody(SmallBodyBytes); !ok || b.bodyBytes.Load() != 0 {
		t.Fatalf("a small body: ok %v, %d bytes held; want room, none held", ok, b.bodyBytes.Load())
	}
	lone, ok := b.ReserveBody(2000 << 10)
	if !ok {
		t.Fatal("a body larger than the bound, alone, found no room")
	}
	if _, ok := b.ReserveBody(100 << 10); ok {
		t.Fatal("room beyond the bound")
	}
	if _, ok := b.ReserveBody(1 << 10); !ok {
		t.Fatal("no room for a small body at the bound")
	}
	lone()
	first, ok1 := b.ReserveBody(600 << 10)
	_, ok2 := b.ReserveBody(400 << 10)
	_, ok3 := b.ReserveBody(100 << 10)
	if !ok1 || !ok2 || ok3 {
		t.Fatalf("600 KiB, 400 KiB, then 100 KiB under 1000 KiB: %v %v %v, want true true false", ok1, ok2, ok3)
	}
	first()
	if _, ok := b.ReserveBody(500 << 10); !ok {
		t.Fatal("no room once a body gave its room back")
	}

	unbounded, err := New(Config{SecretKey: "sk_test", MaxBodyBytesInFlight: -1})
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if _, ok := unbounded.ReserveBody(DefaultMaxBodyBytes); !ok {
			t.Fatal("no room without a bound")
		}
	}
}

// Reservations made and given back at once never hold more than the bound
// together, and leave nothing held.
func TestReserveBodyConcurrently(t *testing.T) {
	const limit, size = 1 << 20, 100 << 10
	b, err := New(Config{SecretKey: "sk_test", MaxBodyBytesInFlight: limit})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 2000 {
				release, ok := b.ReserveBody(size)
				if !ok {
					continue
				}
				if held := b.bodyBytes.Load(); held > limit {
					t.Errorf("%d bytes held, over the bound of %d", held, limit)
				}
				release()
			}
		})
	}
	wg.Wait()
	if held := b.bodyBytes.Load(); held != 0 {
		t.Fatalf("%d bytes still held", held)
	}
}
