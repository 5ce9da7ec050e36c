// Command robfig-oracle answers cron questions with the real github.com/robfig/cron/v3
// v3.0.1 (the version Kubernetes pins) so the TypeScript engine can be diffed against it.
//
// Modes (flag -mode), all reading JSON lines on stdin and writing JSON lines on stdout:
//
//	next         {"spec","zone","start","count"} -> {"next":[ms|"zero",...]} | {"err":"..."} | {"panic":"..."}
//	             zone is the location of the start time (the zone a bare spec runs in),
//	             start is unix milliseconds, count the number of chained Next() calls.
//	             robfig's Next can loop forever (e.g. Pacific/Apia, whose 2011-12-30 does not
//	             exist, with a day-of-week schedule); a call that has used -timeout ms of CPU
//	             time (CPU, not wall clock, so a loaded machine does not fake hangs) is reported as {"next":[...],"hang":true} and the process exits with status 3
//	             (the spinning goroutine cannot be stopped), so the caller restarts it with
//	             the cases that follow.
//	bench        same input; times chained Next() calls for -ms milliseconds, prints {"calls","ns"}.
//	transitions  {"zone","from","to"} (unix seconds) -> {"initial":off,"transitions":[[unix,off],...]}
//	             listing every UTC-offset change Go's time package knows in [from, to).
//
// Time zone data comes from $ZONEINFO when set (the caller points it at
// $GOROOT/lib/time/zoneinfo.zip so Go and Node use the same tzdata release).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/robfig/cron/v3"
)

type nextCase struct {
	Spec  string `json:"spec"`
	Zone  string `json:"zone"`
	Start int64  `json:"start"`
	Count int    `json:"count"`
}

type nextResult struct {
	Next  []any  `json:"next,omitempty"`
	Hang  bool   `json:"hang,omitempty"`
	Err   string `json:"err,omitempty"`
	Panic string `json:"panic,omitempty"`
}

type transitionsCase struct {
	Zone string `json:"zone"`
	From int64  `json:"from"`
	To   int64  `json:"to"`
}

type transitionsResult struct {
	Zone        string     `json:"zone"`
	Err         string     `json:"err,omitempty"`
	Initial     int        `json:"initial"`
	Transitions [][2]int64 `json:"transitions"`
}

func main() {
	mode := flag.String("mode", "next", "next | bench | transitions")
	benchMs := flag.Int("ms", 2000, "bench: measuring time in milliseconds")
	timeoutMs := flag.Int("timeout", 300, "next: a Next() call using this much CPU time (ms) counts as a hang")
	flag.Parse()

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	enc := json.NewEncoder(out)

	switch *mode {
	case "next":
		for in.Scan() {
			var c nextCase
			must(json.Unmarshal(in.Bytes(), &c))
			res := runNext(c, time.Duration(*timeoutMs)*time.Millisecond)
			must(enc.Encode(res))
			if res.Hang {
				must(out.Flush())
				os.Exit(3)
			}
		}
	case "bench":
		var cases []nextCase
		for in.Scan() {
			var c nextCase
			must(json.Unmarshal(in.Bytes(), &c))
			cases = append(cases, c)
		}
		must(enc.Encode(bench(cases, time.Duration(*benchMs)*time.Millisecond)))
	case "transitions":
		for in.Scan() {
			var c transitionsCase
			must(json.Unmarshal(in.Bytes(), &c))
			must(enc.Encode(transitions(c)))
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown mode %q\n", *mode)
		os.Exit(2)
	}
	must(in.Err())
}

// parse runs cron.ParseStandard, turning a panic (e.g. "TZ=UTC" without a space) into text.
func parse(spec string) (s cron.Schedule, err error, panicText string) {
	defer func() {
		if r := recover(); r != nil {
			panicText = fmt.Sprint(r)
		}
	}()
	s, err = cron.ParseStandard(spec)
	return s, err, ""
}

func runNext(c nextCase, timeout time.Duration) nextResult {
	sched, err, p := parse(c.Spec)
	if p != "" {
		return nextResult{Panic: p}
	}
	if err != nil {
		return nextResult{Err: err.Error()}
	}
	loc, err := loadLocation(c.Zone)
	if err != nil {
		return nextResult{Err: "oracle: start zone: " + err.Error()}
	}
	results := make(chan time.Time, c.Count)
	go func() {
		t := time.UnixMilli(c.Start).In(loc)
		for i := 0; i < c.Count; i++ {
			t = sched.Next(t)
			results <- t
			if t.IsZero() {
				break
			}
		}
		close(results)
	}()
	res := nextResult{Next: []any{}}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	began := cpuTime()
	for {
		select {
		case t, ok := <-results:
			if !ok {
				return res
			}
			if t.IsZero() {
				res.Next = append(res.Next, "zero")
			} else {
				res.Next = append(res.Next, t.UnixMilli())
			}
			began = cpuTime()
		case <-tick.C:
			if cpuTime()-began > timeout {
				res.Hang = true
				return res
			}
		}
	}
}

type benchCase struct {
	sched cron.Schedule
	start time.Time
	count int
}

func bench(cases []nextCase, budget time.Duration) map[string]int64 {
	var ready []benchCase
	for _, c := range cases {
		sched, err, p := parse(c.Spec)
		loc, lerr := loadLocation(c.Zone)
		if err != nil || p != "" || lerr != nil {
			continue
		}
		ready = append(ready, benchCase{sched, time.UnixMilli(c.Start).In(loc), c.Count})
	}
	var calls int64
	var sink int64
	began := time.Now()
	for time.Since(began) < budget {
		for _, b := range ready {
			t := b.start
			for i := 0; i < b.count; i++ {
				t = b.sched.Next(t)
				calls++
				if t.IsZero() {
					break
				}
			}
			sink += t.Unix()
		}
	}
	elapsed := time.Since(began)
	return map[string]int64{"calls": calls, "ns": elapsed.Nanoseconds(), "cases": int64(len(ready)), "sink": sink & 1}
}

func transitions(c transitionsCase) transitionsResult {
	res := transitionsResult{Zone: c.Zone, Transitions: [][2]int64{}}
	loc, err := loadLocation(c.Zone)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	t := time.Unix(c.From, 0).In(loc)
	_, off := t.Zone()
	res.Initial = off
	offsetAt := func(sec int64) int { _, o := time.Unix(sec, 0).In(loc).Zone(); return o }
	for t.Unix() < c.To {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		if end.After(t) {
			t = end
		} else {
			// Past the last TZif transition Go derives bounds from the zone's TZ rule string,
			// and at the end of a leap year those bounds lie behind t. Step an hour and
			// bisect any offset change to the second instead.
			lo, hi := t.Unix(), t.Unix()+3600
			if offsetAt(hi) != off {
				for hi-lo > 1 {
					if mid := (lo + hi) / 2; offsetAt(mid) == off {
						lo = mid
					} else {
						hi = mid
					}
				}
			}
			t = time.Unix(hi, 0).In(loc)
		}
		if t.Unix() >= c.To {
			break
		}
		if _, next := t.Zone(); next != off {
			res.Transitions = append(res.Transitions, [2]int64{t.Unix(), int64(next)})
			off = next
		}
	}
	return res
}

var locations = map[string]*time.Location{}

// loadLocation caches time.LoadLocation, which re-reads the zoneinfo zip on every call.
func loadLocation(name string) (*time.Location, error) {
	if loc, ok := locations[name]; ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		locations[name] = loc
	}
	return loc, err
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
