package cloudsim

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"

	"github.com/echofn/echofn/core"
)

// Local returns a Client for a bridge that serves workflows in this
// process, with signature checks on and a secret key made up for it: the
// shortest way to run workflows end to end in a test.
//
//	c, err := cloudsim.Local(welcome.Workflow())
//	...
//	run, err := c.Run(ctx, welcome.ID, cloudsim.Trigger{Payload: ...})
//
// The bridge logs nothing; its errors reach the caller through the Client.
// It fails when a workflow's definition does (see core.New).
func Local(workflows ...*core.Workflow) (*Client, error) {
	key := make([]byte, 16)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	secret := "sk_local_" + hex.EncodeToString(key)
	b, err := core.New(core.Config{
		SecretKey: secret,
		Server:    "cloudsim",
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, workflows...)
	if err != nil {
		return nil, err
	}
	return &Client{Transport: InProcess(b, secret)}, nil
}
