// Command duration-oracle answers with Go's own time.ParseDuration, so the tool's duration
// parser (src/controller/duration.ts) can be checked against it: one JSON string per line on
// stdin, one JSON line per input on stdout, {"ns":"<int64 nanoseconds>"} or {"err":"<Go's error text>"}.
// It uses the standard library only (no module download).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

type answer struct {
	Ns  *string `json:"ns,omitempty"`
	Err *string `json:"err,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var s string
		if err := json.Unmarshal(in.Bytes(), &s); err != nil {
			fmt.Fprintln(os.Stderr, "bad input line:", err)
			os.Exit(2)
		}
		var a answer
		if d, err := time.ParseDuration(s); err != nil {
			msg := err.Error()
			a.Err = &msg
		} else {
			ns := strconv.FormatInt(int64(d), 10)
			a.Ns = &ns
		}
		if err := enc.Encode(a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
