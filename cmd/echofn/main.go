// Command echofn serves the sample workflows as a Novu bridge, and syncs,
// runs and signs requests for any bridge. See package cli for the commands
// and to build the same command with your own workflows.
//
// default.pgo, next to this file, is a CPU profile of `echofn serve`
// under load: `go build` uses it for profile-guided optimisation, which
// takes about 3% off an execute's CPU time. bench/pgo makes it again; a
// project's own command gets the same with a copy of it next to its
// main.go or with `go build -pgo=path/to/default.pgo`.
package main

import (
	"github.com/echofn/echofn/cmd/echofn/cli"
	"github.com/echofn/echofn/samples"
)

func main() { cli.Main(samples.All()...) }
