// Command hello is a small program for the packaging tests.
package main

import "fmt"

func main() { fmt.Println("hello from bootstrap") }
