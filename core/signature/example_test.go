package signature_test

import (
	"fmt"
	"time"

	"github.com/echofn/echofn/core/signature"
)

func ExampleSign() {
	t := time.UnixMilli(1700000000000)
	fmt.Println(signature.Sign("sk_test_conformance", t, []byte(`{"b":1,"a":2}`)))
	// Output: t=1700000000000,v1=916518dcfb1651c84271e7c84f00ce7135d9afef814045b9dcc68c832ef2ce6d
}

func ExampleVerify() {
	body := []byte(`{"payload":{}}`)
	now := time.Now()
	header := signature.Sign("sk_old", now, body)

	// During a rotation, the new key is tried first, then the old one.
	err := signature.Verify(header, body, now, "sk_new", "sk_old")
	fmt.Println(err)

	err = signature.Verify(header, []byte(`{"payload":{"x":1}}`), now, "sk_new", "sk_old")
	fmt.Println(err)
	// Output:
	// <nil>
	// signature: no valid signature for this body
}
