// The shell programs and pod templates of pod-behaviour.ts, checked without a cluster: the
// program runs under this machine's /bin/sh with the run-counter directory moved to a temp dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { behaviourScript, MISSING_IMAGE, parseDuration, podTemplate, type Behaviour } from './pod-behaviour.js';

/** Runs the container program `runs` times (as successive runs of one Job) and returns each exit code and output. */
function runProgram(behaviour: Behaviour, runs: number, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pod-behaviour-'));
  try {
    const program = behaviourScript(behaviour).replaceAll('/runs/', `${dir}/`);
    return Array.from({ length: runs }, (_, i) => {
      const r = spawnSync('sh', ['-c', program], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', POD_NAME: `p${i}`, POD_NAMESPACE: 'ns', ...env },
      });
      return { code: r.status, out: r.stdout.trim().split('\n') };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('durations', () => {
  assert.equal(parseDuration('500ms', 0), 500);
  assert.equal(parseDuration('1.5s', 0), 1500);
  assert.equal(parseDuration('2m', 0), 120_000);
  assert.equal(parseDuration(250, 0), 250);
  assert.equal(parseDuration(undefined, 200), 200);
  assert.throws(() => parseDuration('soon', 0), /bad duration/);
});

test('successive runs take successive steps; the last one repeats', () => {
  const runs = runProgram(
    [
      { exit: 3, after: '0s', log: 'first {run} of {pod} in {namespace}' },
      { after: 0, log: "second: it's {run}" },
    ],
    3,
  );
  assert.deepEqual(
    runs.map((r) => r.code),
    [3, 0, 0],
  );
  assert.deepEqual(runs[0]!.out, ['attempt: pod ns/p0 container main run 0 restart 0', 'first 0 of p0 in ns']);
  assert.deepEqual(runs[1]!.out.at(-1), "second: it's 1");
  assert.deepEqual(runs[2]!.out.at(-1), "second: it's 2");
});

test('byIndex: each completion index counts its own runs', () => {
  const b: Behaviour = {
    steps: [{ after: 0, exit: 0 }],
    byIndex: {
      1: [
        { after: 0, exit: 7 },
        { after: 0, exit: 0 },
      ],
    },
  };
  assert.deepEqual(
    runProgram(b, 3, { JOB_COMPLETION_INDEX: '1' }).map((r) => r.code),
    [7, 0, 0],
  );
  assert.deepEqual(
    runProgram(b, 2, { JOB_COMPLETION_INDEX: '0' }).map((r) => r.code),
    [0, 0],
  );
});

test('ticks are printed while the step runs', () => {
  const [run] = runProgram([{ after: '300ms', tick: '100ms', exit: 1 }], 1);
  assert.equal(run!.code, 1);
  assert.deepEqual(run!.out.slice(1), ['tick 1', 'tick 2', 'tick 3']);
});

test('pod templates: missing image, missing ConfigMap, memory limit for OOM, run counter volume', () => {
  const pull = podTemplate([{ pending: 'ImagePullBackOff' }]) as any;
  assert.equal(pull.spec.containers[0].image, MISSING_IMAGE);
  assert.equal(pull.spec.restartPolicy, 'Never');
  const config = podTemplate([{ pending: 'CreateContainerConfigError' }], 'OnFailure') as any;
  assert.deepEqual(config.spec.containers[0].envFrom, [{ configMapRef: { name: 'kubectl-job-e2e-missing' } }]);
  assert.equal(config.spec.restartPolicy, 'OnFailure');
  const oom = podTemplate({ steps: [{}], byIndex: { 0: [{ oom: true }] } }) as any;
  assert.deepEqual(oom.spec.containers[0].resources.limits, { memory: '32Mi' });
  assert.equal((podTemplate([{}]) as any).spec.containers[0].resources, undefined);
  const [a, b] = [podTemplate([{}]) as any, podTemplate([{}]) as any];
  assert.equal(a.spec.volumes[0].hostPath.type, 'DirectoryOrCreate');
  assert.notEqual(
    a.spec.volumes[0].hostPath.path,
    b.spec.volumes[0].hostPath.path,
    'each template counts its own runs',
  );
});
