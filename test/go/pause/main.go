// Command pause holds a pod sandbox's namespaces open: it sleeps until SIGINT or
// SIGTERM and reaps any child that ends up parented to it (PID 1 of a shared
// process namespace). Built statically (CGO_ENABLED=0) into the e2e node's sandbox
// image, since no image registry is reachable from the test machines.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
