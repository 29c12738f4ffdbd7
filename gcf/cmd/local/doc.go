// Command local serves gcf/function with the Functions Framework's own
// server, as Cloud Functions runs it: FUNCTION_TARGET (default NovuBridge)
// picks the function, PORT (default 8080) the port and HOST (default
// 127.0.0.1) the address.
//
//	NOVU_SECRET_KEY=sk_test go run ./gcf/cmd/local
package main
