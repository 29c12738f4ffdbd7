package samples

import (
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/samples/commentdigest"
	"github.com/echofn/echofn/samples/orderupdates"
	"github.com/echofn/echofn/samples/passwordreset"
	"github.com/echofn/echofn/samples/welcome"
)

// All returns every sample workflow, each newly defined.
func All() []*core.Workflow {
	return []*core.Workflow{
		welcome.Workflow(),
		passwordreset.Workflow(),
		commentdigest.Workflow(),
		orderupdates.Workflow(),
	}
}
