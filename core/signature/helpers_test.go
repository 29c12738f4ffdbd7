package signature

import (
	"crypto/hmac"
	"crypto/sha256"
)

func macRaw(key, msg string) []byte {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(msg))
	return h.Sum(nil)
}
