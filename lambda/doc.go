// Package lambda serves a core.Bridge from AWS Lambda, behind API Gateway
// (REST APIs and HTTP APIs, payload formats 1.0 and 2.0), a Lambda function
// URL or an Application Load Balancer.
//
// A bridge served with core/nethttp moves to Lambda by calling Start in
// place of its HTTP server:
//
//	func main() {
//		cfg, err := lambda.ConfigFromEnv(context.Background())
//		if err != nil {
//			log.Fatal(err)
//		}
//		bridge, err := core.New(cfg, workflows...)
//		if err != nil {
//			log.Fatal(err)
//		}
//		lambda.Start(bridge)
//	}
//
// Build it as the "bootstrap" executable of the provided.al2023 runtime
// with CGO_ENABLED=0 and -tags lambda.norpc; `go run ./lambda/cmd/package`
// builds and zips it reproducibly.
//
// Each event is turned into a core.Request directly, not through an
// http.Request: the body is the exact bytes the caller sent (base64-decoded
// when the event says so), which is what Novu's signature covers; header
// names are matched case-insensitively, with multi-value headers kept whole;
// ALB query strings, which arrive percent-encoded, are decoded once. The
// answer is written back in the shape the event's source expects.
//
// ConfigFromEnv reads the secret key from NOVU_SECRET_KEY, or once, at
// start-up, from AWS Systems Manager Parameter Store or AWS Secrets Manager
// when NOVU_SECRET_KEY_SSM_PARAMETER or NOVU_SECRET_KEY_SECRET_ARN names
// where it is kept.
package lambda
