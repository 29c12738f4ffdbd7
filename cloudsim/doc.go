// Package cloudsim stands in for Novu Cloud on a developer's machine: it
// calls a bridge the way Novu's workers do, with signed requests, and runs
// a workflow end to end.
//
// Run discovers the bridge's workflows, then executes each step of one in
// order, passing earlier steps' outputs back as state, honouring skips, and
// reporting delay and digest steps rather than waiting for them. It works
// against any bridge: one in the same process (InProcess) or any URL
// (HTTP), such as `echofn serve`, a serverless emulator or a deployment.
package cloudsim
