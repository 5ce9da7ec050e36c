// e2e: `kubectl job unsuspend` / `suspend` against a real apiserver and CronJob controller: the
// prediction is checked against what the controller then does; the precondition against a real 409.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { patchSuspend } from '../../../src/cluster/actions.js';
import { closeConnection } from '../../../src/cluster/http.js';
import { resolveConnection } from '../../../src/cluster/kubeconfig.js';
import { planSuspend } from '../../../src/controller/plans/suspend.js';
import { ClusterError } from '../../../src/errors.js';
import {
  applyYaml,
  e2eSkipReason,
  MERGE_PATCH,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
  putLatest,
} from '../harness/index.js';
import { cli, jobsIn, readOnlyKubeconfig, scriptedCronJob, waitForSecondWithin } from './support.js';

const T = 180_000;
const minuteFloor = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/** A suspended every-minute CronJob whose last run was `minutesAgo` minutes ago. */
async function suspendedEveryMinute(
  cp: ControlPlane,
  ns: string,
  name: string,
  minutesAgo: number,
  spec: Record<string, unknown> = {},
  labels: Record<string, string> = {},
) {
  const manifest = scriptedCronJob(name, [{ exit: 0, after: '200ms' }], {
    schedule: '* * * * *',
    suspend: true,
    ...spec,
  });
  (manifest.metadata as Record<string, unknown>).labels = labels;
  await applyYaml(cp.kubeconfigPath, manifest, ns);
  const path = `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`;
  const last = new Date(minuteFloor(Date.now()) - minutesAgo * 60_000).toISOString().replace(/\.000Z$/, 'Z');
  await putLatest(cp, `${path}/status`, (cj) => ({ ...cj, status: { lastScheduleTime: last } }));
}

describe('unsuspend / suspend (e2e)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('unsuspend predicts the catch-up Job by name, and the CronJob controller creates exactly that one', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await suspendedEveryMinute(cp, ns, 'every', 10);
      await waitForSecondWithin(3, 40);
      const r = await cli(cp, ['unsuspend', 'every', '-n', ns]);
      assert.equal(r.code, 0, r.stderr);
      const m = /on resume the controller at once starts job\/(every-\d+) for the missed time/.exec(r.stdout);
      assert.ok(m, r.stdout);
      assert.equal(m[1], `every-${minuteFloor(Date.now()) / 60_000}`);
      assert.match(r.stdout, /about \d+ earlier missed times will not run/);
      assert.match(r.stdout, /cronjob\.batch\/every unsuspended\n$/);
      await waitFor(async () => (await jobsIn(cp, ns)).some((j) => j.metadata.name === m[1]), {
        timeoutMs: 15_000,
        what: `Job ${m[1]}`,
      });
      await new Promise((res) => setTimeout(res, 3000));
      assert.deepEqual(
        (await jobsIn(cp, ns)).map((j) => j.metadata.name),
        [m[1]],
        'only the most recent missed time runs',
      );
      const cj = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs/every`);
      assert.equal(cj.spec.suspend, false);
    });
  });

  test('unsuspend past startingDeadlineSeconds predicts nothing until the next time, and that is what happens', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await suspendedEveryMinute(cp, ns, 'late', 10, { startingDeadlineSeconds: 10 });
      await waitForSecondWithin(15, 45);
      const r = await cli(cp, ['unsuspend', 'late', '-n', ns]);
      assert.equal(r.code, 0, r.stderr);
      const next = new Date(minuteFloor(Date.now()) + 60_000).toISOString().replace(/\.000Z$/, 'Z');
      const missed = new Date(minuteFloor(Date.now())).toISOString().replace(/\.000Z$/, 'Z');
      assert.match(
        r.stdout,
        new RegExp(
          `nothing starts at once: the missed time ${missed} \\(\\d+s ago\\) and about \\d+ earlier is older than startingDeadlineSeconds \\(10s\\), so the controller skips it; the next scheduled run is at ${next}`,
        ),
      );
      await new Promise((res) => setTimeout(res, 4000));
      assert.deepEqual(await jobsIn(cp, ns), [], 'no catch-up run');
      const expected = `late-${Date.parse(next) / 60_000}`;
      await waitFor(async () => (await jobsIn(cp, ns)).some((j) => j.metadata.name === expected), {
        timeoutMs: 75_000,
        what: `Job ${expected} at ${next}`,
      });
    });
  });

  test('unsuspend after more than 100 missed times warns of TooManyMissedTimes, and the controller records it', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await suspendedEveryMinute(cp, ns, 'stale', 180);
      await waitForSecondWithin(3, 45);
      const r = await cli(cp, ['unsuspend', 'stale', '-n', ns]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /the controller will record a TooManyMissedTimes warning: more than 100 start times were missed/,
      );
      const m = /starts job\/(stale-\d+)/.exec(r.stdout)!;
      await waitFor(
        async () => {
          const ev = await cp.client.request('GET', `/api/v1/namespaces/${ns}/events`, undefined, {
            query: { fieldSelector: 'involvedObject.name=stale' },
          });
          return ev.items.some((e: any) => e.reason === 'TooManyMissedTimes' && e.type === 'Warning');
        },
        { timeoutMs: 20_000, what: 'TooManyMissedTimes event' },
      );
      await waitFor(async () => (await jobsIn(cp, ns)).some((j) => j.metadata.name === m[1]), {
        timeoutMs: 15_000,
        what: `Job ${m[1]}`,
      });
    });
  });

  test('a concurrent change between read and patch: 409 Conflict, nothing changed', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, scriptedCronJob('raced', [{}]), ns);
      const path = `/apis/batch/v1/namespaces/${ns}/cronjobs/raced`;
      const read = await cp.client.request('GET', path);
      const plan = planSuspend({ cronJob: read, suspend: true, jobs: [], now: new Date() });
      await cp.client.request(
        'PATCH',
        path,
        { metadata: { labels: { touched: 'yes' } } },
        { contentType: MERGE_PATCH },
      );
      const conn = resolveConnection({ kubeconfig: cp.kubeconfigPath });
      try {
        await assert.rejects(
          patchSuspend(conn, ns, 'raced', plan.patch, 'none'),
          (e: unknown) =>
            e instanceof ClusterError &&
            e.kind === 'Conflict' &&
            e.exitCode === 6 &&
            /changed since it was read .*nothing was changed/.test(e.message),
        );
      } finally {
        await closeConnection(conn);
      }
      const now = await cp.client.request('GET', path);
      assert.notEqual(now.spec.suspend, true, 'the suspend was not applied');
      assert.equal(now.metadata.labels.touched, 'yes', 'the concurrent change was not overwritten');
    });
  });

  test('suspend --all suspends every CronJob; a second run says so and changes nothing', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, [scriptedCronJob('a', [{}]), scriptedCronJob('b', [{}])], ns);
      for (const dry of ['--dry-run=server', '--dry-run=client']) {
        const d = await cli(cp, ['suspend', '--all', '-n', ns, dry]);
        assert.equal(d.code, 0, d.stderr);
        assert.match(d.stdout, /cronjob\.batch\/a suspended \((server )?dry run\)/);
        const items = (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items;
        assert.ok(
          items.every((c: any) => c.spec.suspend !== true),
          `${dry} changed nothing`,
        );
      }
      const first = await cli(cp, ['suspend', '--all', '-n', ns]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /cronjob\.batch\/a suspended\n/);
      assert.match(first.stdout, /cronjob\.batch\/b suspended\n/);
      const before = (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items;
      assert.ok(before.every((c: any) => c.spec.suspend === true));
      const again = await cli(cp, ['suspend', '--all', '-n', ns]);
      assert.equal(again.code, 0);
      assert.equal(
        again.stdout,
        'cronjob.batch/a is already suspended; nothing to do\ncronjob.batch/b is already suspended; nothing to do\n',
      );
      const after = (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items;
      assert.deepEqual(
        after.map((c: any) => c.metadata.resourceVersion),
        before.map((c: any) => c.metadata.resourceVersion),
      );
    });
  });

  test('unsuspend -l -A: one preview table for every matching CronJob (catch-up run named), then each is patched; the controller does what the table said', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      // A label unique to this namespace, so -A matches nothing another test made.
      const run = { run: ns, team: 'data' };
      await suspendedEveryMinute(cp, ns, 'catchup', 10, {}, run);
      await suspendedEveryMinute(cp, ns, 'late', 10, { startingDeadlineSeconds: 10 }, run);
      await suspendedEveryMinute(cp, ns, 'other', 10, {}, { run: ns, team: 'web' });
      await waitForSecondWithin(15, 40);
      const selector = `run=${ns},team=data`;
      const dry = await cli(cp, ['unsuspend', '-l', selector, '-A', '--dry-run=client']);
      assert.equal(dry.code, 0, dry.stderr);
      const catchUp = `catchup-${minuteFloor(Date.now()) / 60_000}`;
      const rows = dry.stdout.split('\n');
      assert.match(rows[0]!, /^NAMESPACE\s+NAME\s+SCHEDULE\s+CHANGE\s+AT ONCE\s+NEXT RUN\s+RUNNING$/);
      assert.match(
        dry.stdout,
        new RegExp(
          `${ns}\\s+catchup\\s+\\* \\* \\* \\* \\*\\s+suspended -> active\\s+catch-up: starts job/${catchUp} for \\S+; ~\\d+ earlier missed dropped`,
        ),
      );
      assert.match(
        dry.stdout,
        new RegExp(
          `${ns}\\s+late\\s+.*suspended -> active\\s+nothing \\(missed \\S+ is past startingDeadlineSeconds\\)`,
        ),
      );
      assert.doesNotMatch(dry.stdout, /\bother\b/);
      assert.match(
        dry.stdout,
        /cronjob\.batch\/catchup unsuspended \(dry run\)\ncronjob\.batch\/late unsuspended \(dry run\)\n$/,
      );
      const untouched = (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items;
      assert.ok(
        untouched.every((c: any) => c.spec.suspend === true),
        'the dry run changed nothing',
      );

      const r = await cli(cp, ['unsuspend', '-l', selector, '-A']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(
        r.stdout.indexOf('NAMESPACE') < r.stdout.indexOf('cronjob.batch/catchup unsuspended'),
        'the table comes before the patches',
      );
      const after = Object.fromEntries(
        (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items.map((c: any) => [
          c.metadata.name,
          c.spec.suspend,
        ]),
      );
      assert.deepEqual(after, { catchup: false, late: false, other: true });
      await waitFor(async () => (await jobsIn(cp, ns)).some((j) => j.metadata.name === catchUp), {
        timeoutMs: 15_000,
        what: `Job ${catchUp}`,
      });
      await new Promise((res) => setTimeout(res, 3000));
      assert.deepEqual(
        (await jobsIn(cp, ns)).map((j) => j.metadata.name),
        [catchUp],
        'only the catch-up the table named; late waits for its next time',
      );

      // Re-running is safe: nothing left to patch, nothing changes. (The controller keeps writing status,
      // which moves resourceVersion; a spec change would move generation.)
      const generations = async () =>
        (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items.map((c: any) => [
          c.metadata.name,
          c.metadata.generation,
          c.spec.suspend,
        ]);
      const before = await generations();
      const again = await cli(cp, ['unsuspend', '-l', selector, '-A']);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(
        again.stdout,
        'cronjob.batch/catchup is not suspended; nothing to do\ncronjob.batch/late is not suspended; nothing to do\n',
      );
      assert.deepEqual(await generations(), before);
    });
  });

  test('a read-only user gets a clear Forbidden and no CronJob changes', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, [scriptedCronJob('a', [{}]), scriptedCronJob('b', [{}])], ns);
      const viewer = await readOnlyKubeconfig(cp, ns);
      const one = await cli(cp, ['suspend', 'a', '-n', ns], { kubeconfig: viewer });
      assert.equal(one.code, 5);
      assert.match(one.stderr, new RegExp(`forbidden: you cannot patch cronjobs in namespace "${ns}"`));
      const all = await cli(cp, ['suspend', '--all', '-n', ns], { kubeconfig: viewer });
      assert.equal(all.code, 5);
      assert.match(
        all.stderr,
        new RegExp(
          `forbidden: you cannot patch cronjobs in namespace "${ns}" \\(the server's access review says no\\); nothing was changed`,
        ),
      );
      const items = (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items;
      assert.ok(items.every((c: any) => c.spec.suspend !== true));
    });
  });
});
