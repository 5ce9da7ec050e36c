// e2e: `trigger --for/--missed` (the controller's own Job for a past time), overrides on trigger,
// and `wait job/NAME`, against a real apiserver, CronJob/Job controllers and a real node.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyYaml,
  e2eSkipReason,
  kubectl,
  MERGE_PATCH,
  MISSING_IMAGE,
  nodeImage,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
  putLatest,
} from '../harness/index.js';
import { runCli } from '../../cli/fake-api.js';
import { cli, hasCondition, jobsIn, scriptedCronJob, scriptedJob, waitForSecondWithin } from './support.js';

const T = 240_000;
const MIN = 60_000;
const minuteFloor = (ms: number) => Math.floor(ms / MIN) * MIN;
const rfc = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** A suspended every-minute CronJob whose status says it last ran at `lastMs`. */
async function suspendedEveryMinute(
  cp: ControlPlane,
  ns: string,
  name: string,
  lastMs: number,
  labels: Record<string, string> = {},
) {
  // History limits high enough that the controller prunes none of the Jobs the test counts.
  const cj = scriptedCronJob(name, [{ exit: 0, after: '200ms' }], {
    schedule: '* * * * *',
    suspend: true,
    successfulJobsHistoryLimit: 20,
    failedJobsHistoryLimit: 20,
  });
  (cj.metadata as Record<string, unknown>).labels = labels;
  await applyYaml(cp.kubeconfigPath, cj, ns);
  const path = `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`;
  await putLatest(cp, `${path}/status`, (got) => ({ ...got, status: { lastScheduleTime: rfc(lastMs) } }));
}

describe('trigger --for / --missed, overrides, wait (e2e)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('--for creates exactly the Job the controller creates (name, annotation, labels, owner, pod spec); the same time again is refused', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await waitForSecondWithin(3, 35);
      const now = Date.now();
      await suspendedEveryMinute(cp, ns, 'every', minuteFloor(now) - 10 * MIN);
      const t1 = minuteFloor(now) - 3 * MIN;
      const ours = `every-${t1 / MIN}`;
      // Not a schedule time: refused, nothing created.
      const off = await cli(cp, ['trigger', 'every', '-n', ns, '--for', rfc(t1 + 30_000), '--yes']);
      assert.equal(off.code, 1, off.stderr);
      assert.match(
        off.stdout,
        new RegExp(`refused: ${rfc(t1 + 30_000)} is not a time of the schedule "\\* \\* \\* \\* \\*" \\(UTC\\)`),
      );
      assert.deepEqual(await jobsIn(cp, ns), []);

      const r = await cli(cp, ['trigger', 'every', '-n', ns, '--for', rfc(t1), '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${rfc(t1)}\\s+job/${ours}\\s+missed\\s+create`));
      assert.match(r.stdout, new RegExp(`job\\.batch/${ours} created\\n$`));
      const again = await cli(cp, ['trigger', 'every', '-n', ns, '--for', rfc(t1), '--yes']);
      assert.equal(again.code, 1);
      assert.match(again.stdout, new RegExp(`refused: job/${ours} already exists \\(scheduled for ${rfc(t1)}\\)`));

      // Now let the controller create its own Job (the catch-up run on resume) and compare.
      await cp.client.request(
        'PATCH',
        `/apis/batch/v1/namespaces/${ns}/cronjobs/every`,
        { spec: { suspend: false } },
        { contentType: MERGE_PATCH },
      );
      const theirs = `every-${minuteFloor(Date.now()) / MIN}`;
      await waitFor(async () => (await jobsIn(cp, ns)).some((j) => j.metadata.name === theirs), {
        timeoutMs: 20_000,
        what: `controller's Job ${theirs}`,
      });
      const jobs = await jobsIn(cp, ns);
      const o = jobs.find((j) => j.metadata.name === ours)!;
      const c = jobs.find((j) => j.metadata.name === theirs)!;
      assert.equal(o.metadata.annotations[SCHEDULED], rfc(t1));
      assert.match(c.metadata.annotations[SCHEDULED], /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
      assert.deepEqual(Object.keys(o.metadata.annotations).sort(), Object.keys(c.metadata.annotations).sort());
      assert.deepEqual(o.metadata.annotations.team, c.metadata.annotations.team);
      const labels = (j: any) =>
        Object.fromEntries(Object.entries(j.metadata.labels).filter(([k]) => !/controller-uid|job-name/.test(k)));
      assert.deepEqual(labels(o), labels(c));
      assert.deepEqual(o.metadata.ownerReferences, c.metadata.ownerReferences);
      assert.deepEqual(o.spec.template.spec.containers, c.spec.template.spec.containers);
      assert.equal(o.spec.backoffLimit, c.spec.backoffLimit);
    });
  });

  test('--missed after a suspended window creates a Job for each time misses calls not run, and a re-run creates nothing more', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await waitForSecondWithin(3, 30);
      const start = Date.now();
      // Last ran 3 minutes ago; suspended from now: the minutes in between were missed, the next one is suspended.
      await suspendedEveryMinute(cp, ns, 'paused', minuteFloor(start) - 3 * MIN);
      await new Promise((res) => setTimeout(res, minuteFloor(start) + MIN + 3000 - Date.now()));
      const before = await cli(cp, ['misses', 'paused', '-n', ns, '--since', '10m', '-o', 'json']);
      const slots = JSON.parse(before.stdout).slots as Array<{ time: string; fate: string }>;
      const wanted = slots.filter((s) => ['missed', 'suspended', 'forbid', 'missed-deadline'].includes(s.fate));
      assert.ok(
        wanted.some((s) => s.fate === 'suspended'),
        `a suspended slot: ${JSON.stringify(slots)}`,
      );
      assert.ok(wanted.length >= 3, JSON.stringify(slots));

      const dry = await cli(cp, ['trigger', 'paused', '-n', ns, '--missed', '--since', '10m']);
      assert.equal(dry.code, 2, 'a pipeline without --yes stops after the preview');
      for (const s of wanted)
        assert.match(
          dry.stdout,
          new RegExp(`${s.time}\\s+job/paused-${Date.parse(s.time) / MIN}\\s+${s.fate}\\s+create`),
        );
      assert.deepEqual(await jobsIn(cp, ns), [], 'nothing created without --yes');

      const r = await cli(cp, ['trigger', 'paused', '-n', ns, '--missed', '--since', '10m', '--yes', '-o', 'name']);
      assert.equal(r.code, 0, r.stderr);
      const names = wanted.map((s) => `paused-${Date.parse(s.time) / MIN}`);
      assert.deepEqual(
        r.stdout.trim().split('\n'),
        names.map((n) => `job.batch/${n}`),
      );
      const jobs = await jobsIn(cp, ns);
      assert.deepEqual(jobs.map((j) => j.metadata.name).sort(), [...names].sort());
      for (const j of jobs)
        assert.equal(j.metadata.annotations[SCHEDULED], wanted[names.indexOf(j.metadata.name)]!.time);

      const after = JSON.parse((await cli(cp, ['misses', 'paused', '-n', ns, '--since', '10m', '-o', 'json'])).stdout)
        .slots as Array<{ time: string; fate: string }>;
      for (const s of wanted) assert.equal(after.find((x) => x.time === s.time)?.fate, 'ran', `${s.time} now ran`);
      const rerun = await cli(cp, ['trigger', 'paused', '-n', ns, '--missed', '--since', '10m', '--yes']);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stderr, /nothing to create/);
      assert.deepEqual(
        (await jobsIn(cp, ns)).map((j) => j.metadata.name).sort(),
        [...names].sort(),
        'the re-run created nothing',
      );
    });
  });

  test("overrides (--image, --env, -- args) are on the created Job and in its pod's log; --wait exits 0", {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(
        cp.kubeconfigPath,
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'tool' },
          spec: {
            schedule: '0 0 1 1 *',
            jobTemplate: {
              spec: {
                backoffLimit: 0,
                template: {
                  spec: {
                    restartPolicy: 'Never',
                    containers: [
                      // The template's image does not exist: only the --image override lets the pod run.
                      {
                        name: 'main',
                        image: MISSING_IMAGE,
                        command: ['sh', '-c', 'echo "mode=$MODE keep=$KEEP args=$*"', 'sh'],
                        args: ['default'],
                        env: [
                          { name: 'MODE', value: 'template' },
                          { name: 'KEEP', value: 'kept' },
                        ],
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        ns,
      );
      // Everything after -- is the container's args, so --kubeconfig goes before it (cli() appends it at the end).
      const r = await runCli([
        'trigger',
        'tool',
        '-n',
        ns,
        '--name',
        'tool-once',
        '--image',
        nodeImage(),
        '--env',
        'MODE=override',
        '--wait',
        '--timeout',
        '90s',
        '--kubeconfig',
        cp.kubeconfigPath,
        '--',
        'one',
        'two',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'job.batch/tool-once created\njob.batch/tool-once completed\n');
      assert.match(
        r.stderr,
        new RegExp(
          `overrides: image ${nodeImage().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, env MODE=override, args \\["one","two"\\] in container main`,
        ),
      );
      const job = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/tool-once`);
      const c = job.spec.template.spec.containers[0];
      assert.deepEqual(
        [c.image, c.env, c.args, c.command],
        [
          nodeImage(),
          [
            { name: 'MODE', value: 'override' },
            { name: 'KEEP', value: 'kept' },
          ],
          ['one', 'two'],
          ['sh', '-c', 'echo "mode=$MODE keep=$KEEP args=$*"', 'sh'],
        ],
      );
      const log = await kubectl(['logs', 'job/tool-once', '-n', ns], { kubeconfig: cp.kubeconfigPath });
      assert.equal(log.stdout, 'mode=override keep=kept args=one two\n');
    });
  });

  test('wait job/NAME: 0 on Complete, 1 on Failed with the why verdict, 3 at --timeout, 4 for no such Job', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(
        cp.kubeconfigPath,
        [
          scriptedJob('ok', [{ exit: 0, after: '1s', log: 'fine' }]),
          scriptedJob('bad', [{ exit: 3, after: '500ms', log: 'crash' }]),
          scriptedJob('hang', [{ hang: true }]),
        ],
        ns,
      );
      const [ok, bad, hang, none] = await Promise.all([
        cli(cp, ['wait', 'job/ok', '-n', ns, '--timeout', '90s']),
        cli(cp, ['wait', 'job/bad', '-n', ns, '--timeout', '90s']),
        cli(cp, ['wait', 'job/hang', '-n', ns, '--timeout', '3s']),
        cli(cp, ['wait', 'job/none', '-n', ns]),
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, 'job.batch/ok completed\n');
      assert.equal(bad.code, 1, bad.stderr);
      assert.equal(
        bad.stdout,
        'job.batch/bad failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n',
      );
      assert.match(bad.stderr, new RegExp(`job/bad in namespace ${ns}\\n`));
      assert.match(bad.stderr, /Error \(exit 3\)/);
      assert.equal(hang.code, 3);
      assert.match(
        hang.stderr,
        new RegExp(
          `error: timed out after 3s waiting for job/hang in namespace "${ns}" \\(active \\d+, succeeded 0, failed 0\\)`,
        ),
      );
      assert.equal(none.code, 4);
      assert.match(none.stderr, /job "none" not found/);
      for (const r of [ok, bad, hang, none]) assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.ok(hasCondition(await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/ok`), 'Complete'));
    });
  });
});
