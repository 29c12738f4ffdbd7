// Command echofn serves the sample workflows as a Novu bridge, and syncs,
// runs and signs requests for any bridge. See package cli for the commands
// and to build the same command with your own workflows.
package main

import (
	"github.com/echofn/echofn/cmd/echofn/cli"
	"github.com/echofn/echofn/samples"
)

func main() { cli.Main(samples.All()...) }
