// Benchmark: snapshots at scale, on generated files shaped like `kubectl get -o json` output
// (managedFields, labels, annotations, pod templates, conditions).
//  1. `why --all --snapshot` on 1,000 CronJobs with 20 Jobs each (20,000 Jobs), against
//     `node -e JSON.parse` of the same file: wall time (best of N runs) and peak RSS.
//     Targets: within 5x the time of JSON.parse, RSS within 8x the file size.
//  2. Writing a snapshot of 10,000 Jobs as YAML against JSON (the `snapshot -A` writers), interleaved,
//     CPU time. Target: YAML within 2x JSON.
//  3. (yaml-read) `why --all` on the same 1,000 CronJobs as YAML, against the JSON file.
// Run: node --import tsx bench/snapshot.ts [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJson } from '../src/output/format.js';
import { writeYaml } from '../src/output/yaml-writer.js';
import { parse } from 'yaml';

const runs = Number(process.argv[2] ?? 3);
/** Which parts to run: read, yaml-read, write (default all). */
const parts = new Set((process.argv[3] ?? 'read,yaml-read,write').split(','));
const root = fileURLToPath(new URL('..', import.meta.url));
const CAPTURED = '2026-11-23T08:00:00Z';
const t = (minutesAgo: number) =>
  new Date(Date.parse(CAPTURED) - minutesAgo * 60_000).toISOString().replace('.000Z', 'Z');

function cronJob(i: number) {
  const name = `cron-${i}`;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name,
      namespace: `team-${i % 20}`,
      uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1000 + i),
      creationTimestamp: t(60 * 24 * 90),
      labels: { app: name, team: `team-${i % 20}` },
      annotations: { owner: 'platform' },
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'batch/v1',
          time: t(60 * 24 * 90),
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:team': {} } },
            'f:spec': {
              'f:concurrencyPolicy': {},
              'f:jobTemplate': { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': {} } } } },
              'f:schedule': {},
              'f:suspend': {},
            },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'batch/v1',
          time: t(5),
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:lastScheduleTime': {}, 'f:lastSuccessfulTime': {} } },
        },
      ],
    },
    spec: {
      schedule: `${i % 60} * * * *`,
      concurrencyPolicy: 'Forbid',
      suspend: i % 50 === 0,
      successfulJobsHistoryLimit: 20,
      failedJobsHistoryLimit: 5,
      jobTemplate: {
        metadata: { creationTimestamp: null, labels: { app: name } },
        spec: {
          backoffLimit: 2,
          template: {
            metadata: { creationTimestamp: null, labels: { app: name } },
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'main',
                  image: 'registry.example/batch:1.2.3',
                  command: ['/bin/run', '--task', name],
                  resources: { requests: { cpu: '100m', memory: '128Mi' } },
                },
              ],
            },
          },
        },
      },
    },
    status: { lastScheduleTime: t(60 - (i % 60)), lastSuccessfulTime: t(61 - (i % 60)) },
  };
}

function job(cj: ReturnType<typeof cronJob>, k: number) {
  const minutesAgo = 60 * (k + 1);
  const name = `${cj.metadata.name}-${29_000_000 - minutesAgo}`;
  const failed = k % 7 === 3;
  const cond = (type: string, reason: string) => ({
    type,
    status: 'True',
    reason,
    message: reason,
    lastProbeTime: t(minutesAgo - 2),
    lastTransitionTime: t(minutesAgo - 2),
  });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      uid: `${cj.metadata.uid.slice(0, 24)}${String(k).padStart(12, '0')}`,
      resourceVersion: String(5000 + k),
      creationTimestamp: t(minutesAgo),
      labels: {
        app: cj.metadata.name,
        'batch.kubernetes.io/controller-uid': cj.metadata.uid,
        'batch.kubernetes.io/job-name': name,
        'controller-uid': cj.metadata.uid,
        'job-name': name,
      },
      annotations: {
        'batch.kubernetes.io/cronjob-scheduled-timestamp': t(minutesAgo),
        'batch.kubernetes.io/job-tracking': '',
      },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cj.metadata.name,
          uid: cj.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'batch/v1',
          time: t(minutesAgo - 2),
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: {
            'f:status': {
              'f:completionTime': {},
              'f:conditions': {},
              'f:ready': {},
              'f:startTime': {},
              'f:succeeded': {},
              'f:terminating': {},
              'f:uncountedTerminatedPods': {},
            },
          },
        },
      ],
    },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 2,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      manualSelector: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': cj.metadata.uid } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: cj.metadata.name, 'job-name': name } },
        spec: cj.spec.jobTemplate.spec.template.spec,
      },
    },
    status: failed
      ? {
          startTime: t(minutesAgo),
          failed: 3,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [cond('FailureTarget', 'BackoffLimitExceeded'), cond('Failed', 'BackoffLimitExceeded')],
        }
      : {
          startTime: t(minutesAgo),
          completionTime: t(minutesAgo - 2),
          succeeded: 1,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [cond('SuccessCriteriaMet', 'CompletionsReached'), cond('Complete', 'CompletionsReached')],
        },
  };
}

function snapshot(cronJobs: number, jobsEach: number) {
  const cjs = Array.from({ length: cronJobs }, (_, i) => cronJob(i));
  return {
    apiVersion: 'v1',
    kind: 'List',
    capturedAt: CAPTURED,
    serverVersion: 'v1.36.3',
    metadata: { resourceVersion: '' },
    items: [...cjs, ...cjs.flatMap((cj) => Array.from({ length: jobsEach }, (_, k) => job(cj, k)))],
  };
}

/** Wall ms and peak RSS (KiB) of a command, best of `runs`. */
function measure(cmd: string[], runsN: number): { ms: number; rssKiB: number; code: number } {
  let best = { ms: Infinity, rssKiB: Infinity, code: -1 };
  for (let i = 0; i < runsN; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const rss = Number(r.stderr.trim().split('\n').pop());
    if (ms < best.ms) best = { ms, rssKiB: rss, code: r.status ?? -1 };
  }
  return best;
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-bench-'));
try {
  if (parts.has('read') || parts.has('yaml-read')) {
    const data = snapshot(1000, 20);
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(data));
    const size = statSync(file).size;
    const baseline = measure(
      [process.execPath, '-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`],
      runs,
    );
    console.log(`file: 1,000 CronJobs + 20,000 Jobs, ${mb(size)} of JSON`);
    console.log(`node -e JSON.parse           ${baseline.ms.toFixed(0)} ms, peak RSS ${mb(baseline.rssKiB * 1024)}`);
    const why = measure([join(root, 'bin/kubectl-job'), 'why', '--all', '--snapshot', file], runs);
    console.log(
      `why --all --snapshot (JSON)  ${why.ms.toFixed(0)} ms (${(why.ms / baseline.ms).toFixed(2)}x JSON.parse; target 5x), peak RSS ${mb(why.rssKiB * 1024)} (${((why.rssKiB * 1024) / size).toFixed(2)}x the file; target 8x), exit ${why.code}`,
    );
    if (parts.has('yaml-read')) {
      const yamlFile = join(dir, 'snapshot.yaml');
      writeFileSync(yamlFile, writeYaml(data));
      const ysize = statSync(yamlFile).size;
      const whyYaml = measure([join(root, 'bin/kubectl-job'), 'why', '--all', '--snapshot', yamlFile], runs);
      console.log(
        `why --all --snapshot (YAML, ${mb(ysize)}) ${whyYaml.ms.toFixed(0)} ms (${(whyYaml.ms / baseline.ms).toFixed(2)}x JSON.parse of the JSON file, ${(whyYaml.ms / why.ms).toFixed(2)}x the JSON snapshot), ` +
          `peak RSS ${mb(whyYaml.rssKiB * 1024)} (${((whyYaml.rssKiB * 1024) / ysize).toFixed(2)}x the file), exit ${whyYaml.code}`,
      );
    }
  }
  if (parts.has('write')) {
    // The writers of `snapshot -A`: 10,000 Jobs (500 CronJobs x 20).
    const big = snapshot(500, 20);
    // Interleaved (JSON, YAML, YAML, JSON, ...) so load from other processes hits both alike; CPU
    // time (user + sys of this process, GC threads included) rather than wall time, for the same reason.
    const time = (f: () => string) => {
      const c = process.cpuUsage();
      const s = process.hrtime.bigint();
      const out = f();
      const cpu = process.cpuUsage(c);
      return { wall: Number(process.hrtime.bigint() - s) / 1e6, cpu: (cpu.user + cpu.system) / 1000, out };
    };
    const jsonRuns: number[] = [];
    const yamlRuns: number[] = [];
    const ratios: number[] = [];
    let jsonOut = '';
    let yamlOut = '';
    for (let i = 0; i < Math.max(runs, 3); i++) {
      const first = i % 2 === 0;
      const a = first ? time(() => toJson(big)) : time(() => writeYaml(big));
      const b = first ? time(() => writeYaml(big)) : time(() => toJson(big));
      const [j, y] = first ? [a, b] : [b, a];
      jsonRuns.push(j.cpu);
      yamlRuns.push(y.cpu);
      ratios.push(y.cpu / j.cpu);
      jsonOut = j.out;
      yamlOut = y.out;
    }
    const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
    const json = { ms: Math.min(...jsonRuns), out: jsonOut };
    const yaml = { ms: Math.min(...yamlRuns), out: yamlOut };
    console.log(
      `snapshot writer, 10,000 Jobs (CPU time, best of ${jsonRuns.length}): JSON ${json.ms.toFixed(0)} ms (${mb(json.out.length)}), YAML ${yaml.ms.toFixed(0)} ms (${mb(yaml.out.length)}); ` +
        `YAML/JSON ${(yaml.ms / json.ms).toFixed(2)}x best against best, median of interleaved pairs ${median(ratios).toFixed(2)}x (pairs: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target 2x)`,
    );
    // The YAML written must read back as the same data.
    const back = JSON.stringify(parse(yaml.out)) === JSON.stringify(big);
    console.log(`YAML reads back as the same data: ${back}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
