// Package cli is the echofn command line: serve, dev, sync, run, sign and
// version, as functions a program can reuse with its own workflows.
//
// A project's own bridge command is one line:
//
//	func main() { cli.Main(myworkflows.All()...) }
//
// `serve` is the production bridge (signatures always checked), `dev` the
// local one with the Studio, `sync` tells a Novu environment the bridge's
// URL after checking the bridge answers with the same secret key, `run`
// runs a workflow end to end against any bridge URL as Novu Cloud would,
// and `sign` signs a request body for curl.
//
// Every command exits with ExitOK (0), ExitFailure (1) when what it was
// asked to do failed, or ExitUsage (2) when the command line or the
// configuration is wrong, so that a CI script can tell them apart.
package cli
