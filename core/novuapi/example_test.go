package novuapi_test

import (
	"context"
	"fmt"
	"log"

	"github.com/echofn/echofn/core/novuapi"
)

func ExampleClient_Trigger() {
	c := novuapi.FromEnv() // NOVU_SECRET_KEY, NOVU_API_URL
	res, err := c.Trigger(context.Background(), novuapi.TriggerRequest{
		WorkflowID: "welcome",
		To:         "subscriber-123",
		Payload:    map[string]any{"name": "Ada"},
	})
	if err != nil {
		log.Print(err)
		return
	}
	fmt.Println(res.TransactionID)
}
