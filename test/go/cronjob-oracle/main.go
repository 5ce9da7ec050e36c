// cronjob-oracle runs ONE sync of the real CronJob controller (k8s.io/kubernetes
// pkg/controller/cronjob, at the version of the go.mod it is built with) per input line and prints
// what it did. Input: JSON lines {"id","cronJob","jobs","now"}. Output: one JSON line per input.
//
// The controller is made by its own NewControllerV2 and driven through OracleSync, a file build.sh
// adds to the package with `go build -overlay` (hook.go.in): fake clientset (the API server's
// objects), informer caches filled with the same objects (never started), a FakeRecorder for
// events, and a fixed clock.
// Run with TZ=UTC and ZONEINFO=$(go env GOROOT)/lib/time/zoneinfo.zip so zones are pinned.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-logr/logr"
	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/cronjob"
)

type state struct {
	ID      string          `json:"id"`
	CronJob batchv1.CronJob `json:"cronJob"`
	Jobs    []batchv1.Job   `json:"jobs"`
	Now     time.Time       `json:"now"`
}

type event struct {
	Type    string `json:"type"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

type created struct {
	Name        string            `json:"name"`
	Annotations map[string]string `json:"annotations"`
}

type deleted struct {
	Name string `json:"name"`
	// "replace" when the controller fetched the Job right before deleting it (the Replace path),
	// else "history-limit" (cleanupFinishedJobs deletes without a GET).
	Why string `json:"why"`
}

type status struct {
	LastScheduleTime   *string  `json:"lastScheduleTime"`
	LastSuccessfulTime *string  `json:"lastSuccessfulTime"`
	Active             []string `json:"active"`
}

type answer struct {
	ID        string    `json:"id"`
	RequeueNs *int64    `json:"requeueNs"`
	Err       string    `json:"err,omitempty"`
	Panic     string    `json:"panic,omitempty"`
	Events    []event   `json:"events"`
	Created   []created `json:"created"`
	Deleted   []deleted `json:"deleted"`
	Status    *status   `json:"status"`
	Actions   []string  `json:"actions"`
}

func rfc3339(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func run(s state) (a answer) {
	a = answer{ID: s.ID, Events: []event{}, Created: []created{}, Deleted: []deleted{}, Actions: []string{}}
	if s.CronJob.Namespace == "" {
		s.CronJob.Namespace = "default"
	}
	objs := []runtime.Object{&s.CronJob}
	for i := range s.Jobs {
		if s.Jobs[i].Namespace == "" {
			s.Jobs[i].Namespace = s.CronJob.Namespace
		}
		objs = append(objs, &s.Jobs[i])
	}
	client := fake.NewSimpleClientset(objs...)
	// A create of a name the API server already holds fails with AlreadyExists: remember which
	// create actions those were, so only Jobs that came into existence are reported as created.
	// (Reactors run under the fake's lock, so actions are counted here rather than read back.)
	failedCreates := map[int]bool{}
	seen := 0
	client.PrependReactor("create", "jobs", func(act k8stesting.Action) (bool, runtime.Object, error) {
		j := act.(k8stesting.CreateAction).GetObject().(*batchv1.Job)
		if _, err := client.Tracker().Get(act.GetResource(), act.GetNamespace(), j.Name); err == nil {
			failedCreates[seen-1] = true
		}
		return false, nil, nil
	})
	client.PrependReactor("*", "*", func(k8stesting.Action) (bool, runtime.Object, error) {
		seen++
		return false, nil, nil
	})
	client.ClearActions()
	recorder := record.NewFakeRecorder(10000)
	ctx := klog.NewContext(context.Background(), logr.Discard())

	func() {
		defer func() {
			if r := recover(); r != nil {
				a.Panic = fmt.Sprint(r)
			}
		}()
		// The informers are never started: their caches hold exactly the given objects.
		factory := informers.NewSharedInformerFactory(client, 0)
		jobInf, cjInf := factory.Batch().V1().Jobs(), factory.Batch().V1().CronJobs()
		fill := func() error {
			if err := cjInf.Informer().GetIndexer().Add(s.CronJob.DeepCopy()); err != nil {
				return err
			}
			for i := range s.Jobs {
				if err := jobInf.Informer().GetIndexer().Add(s.Jobs[i].DeepCopy()); err != nil {
					return err
				}
			}
			return nil
		}
		d, err := cronjob.OracleSync(ctx, client, jobInf, cjInf, fill, recorder, s.Now, s.CronJob.Namespace+"/"+s.CronJob.Name)
		if d != nil {
			ns := d.Nanoseconds()
			a.RequeueNs = &ns
		}
		if err != nil {
			a.Err = err.Error()
		}
	}()

	close(recorder.Events)
	for e := range recorder.Events {
		parts := strings.SplitN(e, " ", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		a.Events = append(a.Events, event{Type: parts[0], Reason: parts[1], Message: parts[2]})
	}

	lastGet := ""
	for i, act := range client.Actions() {
		res := act.GetResource().Resource
		sub := act.GetSubresource()
		name := ""
		switch x := act.(type) {
		case k8stesting.GetAction:
			name = x.GetName()
		case k8stesting.DeleteAction:
			name = x.GetName()
		}
		a.Actions = append(a.Actions, strings.TrimSpace(act.GetVerb()+" "+res+" "+sub+" "+name))
		switch {
		case act.GetVerb() == "get" && res == "jobs":
			lastGet = name
			continue
		case act.GetVerb() == "create" && res == "jobs" && failedCreates[i]:
			a.Actions[len(a.Actions)-1] += " (AlreadyExists)"
		case act.GetVerb() == "create" && res == "jobs":
			j := act.(k8stesting.CreateAction).GetObject().(*batchv1.Job)
			ann := j.Annotations
			if ann == nil {
				ann = map[string]string{}
			}
			a.Created = append(a.Created, created{Name: j.Name, Annotations: ann})
		case act.GetVerb() == "delete" && res == "jobs":
			why := "history-limit"
			if lastGet == name {
				why = "replace"
			}
			a.Deleted = append(a.Deleted, deleted{Name: name, Why: why})
		case act.GetVerb() == "update" && res == "cronjobs" && sub == "status":
			cj := act.(k8stesting.UpdateAction).GetObject().(*batchv1.CronJob)
			st := &status{Active: []string{}}
			if cj.Status.LastScheduleTime != nil {
				st.LastScheduleTime = rfc3339(&cj.Status.LastScheduleTime.Time)
			}
			if cj.Status.LastSuccessfulTime != nil {
				st.LastSuccessfulTime = rfc3339(&cj.Status.LastSuccessfulTime.Time)
			}
			for _, r := range cj.Status.Active {
				st.Active = append(st.Active, r.Name)
			}
			a.Status = st
		}
		lastGet = ""
	}
	return a
}

func main() {
	klog.LogToStderr(false)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		line := in.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		var s state
		if err := json.Unmarshal(line, &s); err != nil {
			fmt.Fprintf(os.Stderr, "cronjob-oracle: bad input line: %v\n", err)
			os.Exit(2)
		}
		if err := enc.Encode(run(s)); err != nil {
			fmt.Fprintf(os.Stderr, "cronjob-oracle: %v\n", err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "cronjob-oracle: %v\n", err)
		os.Exit(1)
	}
}
