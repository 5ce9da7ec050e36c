// Job controller oracle: reads one state per JSON line on stdin ({"id", "job", "pods", "now"}),
// runs ONE syncJob of the real k8s.io/kubernetes/pkg/controller/job (fake clientset and
// informers, a fake clock at "now", default feature gates of the pinned version) and prints
// what it did as one JSON line: the status it wrote, the pods it created, deleted or released,
// and the delays it requeued the Job with.
//
// The package's syncJob and clock constructor are unexported; build.sh adds a small file of
// our own to the package with `go build -overlay` (hook/*.go.in) that exposes them.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/go-logr/logr"
	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/klog/v2"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/job"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/apimachinery/pkg/runtime"
)

type input struct {
	ID   string    `json:"id"`
	Job  batch.Job `json:"job"`
	Pods []v1.Pod  `json:"pods"`
	Now  time.Time `json:"now"`
}

type created struct {
	Index        *string `json:"index"`
	FailureCount *string `json:"failureCount"`
}

type output struct {
	ID                string               `json:"id"`
	Error             string               `json:"error,omitempty"`
	Conditions        []batch.JobCondition `json:"conditions"`
	Status            batch.JobStatus      `json:"status"`
	StatusWrites      int                  `json:"statusWrites"`
	Created           []created            `json:"created"`
	Deleted           []string             `json:"deleted"`
	FinalizerPatches  int                  `json:"finalizerPatches"`
	RequeueSeconds    []float64            `json:"requeueSeconds"`
}

func runOne(in input) output {
	out := output{ID: in.ID, Created: []created{}, Deleted: []string{}, RequeueSeconds: []float64{}}
	ctx, cancel := context.WithCancel(klog.NewContext(context.Background(), logr.Discard()))
	defer cancel()
	j := in.Job.DeepCopy()
	batchdefaults.SetObjectDefaults_Job(j)
	objs := []runtime.Object{j}
	for i := range in.Pods {
		objs = append(objs, in.Pods[i].DeepCopy())
	}
	client := fake.NewSimpleClientset(objs...)
	factory := informers.NewSharedInformerFactory(client, 0)
	podInf := factory.Core().V1().Pods()
	jobInf := factory.Batch().V1().Jobs()
	jm, err := job.OracleNewController(ctx, client, clocktesting.NewFakeClock(in.Now), podInf, jobInf)
	if err != nil {
		out.Error = "new controller: " + err.Error()
		return out
	}
	pc := &controller.FakePodControl{}
	var last *batch.Job
	jm.OracleInstall(pc, func(w *batch.Job) { last = w; out.StatusWrites++ }, func(d time.Duration) {
		out.RequeueSeconds = append(out.RequeueSeconds, d.Seconds())
	})
	if err := jobInf.Informer().GetIndexer().Add(j); err != nil {
		out.Error = err.Error()
		return out
	}
	for i := range in.Pods {
		if err := podInf.Informer().GetIndexer().Add(in.Pods[i].DeepCopy()); err != nil {
			out.Error = err.Error()
			return out
		}
	}
	if err := jm.OracleSync(ctx, j.Namespace+"/"+j.Name); err != nil {
		out.Error = err.Error()
	}
	if last == nil {
		last = j
	}
	out.Conditions = last.Status.Conditions
	if out.Conditions == nil {
		out.Conditions = []batch.JobCondition{}
	}
	out.Status = last.Status
	out.Status.Conditions = nil
	for _, t := range pc.Templates {
		c := created{}
		if v, ok := t.Annotations[batch.JobCompletionIndexAnnotation]; ok {
			c.Index = &v
		}
		if v, ok := t.Annotations[batch.JobIndexFailureCountAnnotation]; ok {
			c.FailureCount = &v
		}
		out.Created = append(out.Created, c)
	}
	sort.Slice(out.Created, func(a, b int) bool {
		x, y := out.Created[a].Index, out.Created[b].Index
		if x == nil || y == nil {
			return y != nil
		}
		return len(*x) < len(*y) || (len(*x) == len(*y) && *x < *y)
	})
	out.Deleted = append(out.Deleted, pc.DeletePodName...)
	sort.Strings(out.Deleted)
	out.FinalizerPatches = len(pc.Patches)
	sort.Float64s(out.RequeueSeconds)
	return out
}

func main() {
	klog.SetOutput(io.Discard)
	klog.LogToStderr(false)
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var in input
		var out output
		if err := json.Unmarshal(line, &in); err != nil {
			out = output{ID: in.ID, Error: "decode: " + err.Error()}
		} else {
			out = runOne(in)
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
