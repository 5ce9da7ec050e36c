//go:build !unix

package main

import "time"

var started = time.Now()

// cpuTime falls back to wall-clock time where getrusage is unavailable.
func cpuTime() time.Duration { return time.Since(started) }
