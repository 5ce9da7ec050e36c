// `why -f` findings whose consequence needs time or a disturbance to show, against the real
// kube-controller-manager (the harness version, v1.37.2 by default) and a real node: each manifest goes through `why -f -` first,
// is then applied with kubectl, and the test checks the controllers do what the finding said
// (and, where the tool reads the result back, that `why` and `misses` say so).
//   - ForbidWithoutDeadline: a run that never ends blocks every later run (JobAlreadyActive).
//   - StartingDeadlineTooShort: a kube-controller-manager restart longer than the deadline drops
//     the run (no Job, no event), while a control with a longer deadline catches up; with nothing
//     delaying the controller, the next run starts (a warning, not an error).
//   - FailedHistoryZero: the failed Job (and its pods) is deleted at the next sync.
//   - DeadlineShorterThanRetries, TTLDestroysEvidence, PodFailurePolicyRuleNeverMatches (warnings):
//     the Job ends as the finding says.
//   - the error-level findings the API enforces: `--validate=server` returns the server's own error
//     for each one the tool reports, and the server stores nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jobNameFor } from '../../../src/controller/cronjob/index.js';
import {
  applyYaml,
  e2eSkipReason,
  kubectl,
  podTemplate,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
  type Step,
  putLatest,
} from '../harness/index.js';
import {
  cli,
  cronJobEvents,
  cronJobManifest,
  getCronJob,
  iso,
  jobs,
  MINUTE,
  minuteStart,
  sleep,
  patchStatus,
  waitForSecondWindow,
  why,
  whyFile,
  type FileRun,
} from './support.js';

const item = (r: FileRun, name: string) => {
  const i = r.report.items.find((x: any) => x.name === name);
  assert.ok(i, `${name} in the report: ${JSON.stringify(r.report.items.map((x: any) => x.name))}`);
  return i;
};
const codes = (i: any) => i.findings.map((f: any) => `${f.severity}:${f.code}`).sort();
const ownedBy = async (cp: ControlPlane, ns: string, cronJob: string) =>
  (await jobs(cp, ns)).filter((j) => j.metadata.ownerReferences?.[0]?.name === cronJob);
const namesOf = (list: any[]) => list.map((j) => j.metadata.name);
const log = (s: string) => process.stderr.write(`[why-file-consequences ${new Date().toISOString()}] ${s}\n`);

function jobManifest(name: string, spec: Record<string, unknown>, steps: Step[], restartPolicy = 'Never'): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ...spec, template: podTemplate(steps, restartPolicy) },
  };
}

async function getJob(cp: ControlPlane, ns: string, name: string): Promise<any | undefined> {
  try {
    return await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}
const condition = (job: any, type: string) =>
  (job?.status?.conditions ?? []).find((c: any) => c.type === type && c.status === 'True');
const podsOf = async (cp: ControlPlane, ns: string, job: string) =>
  (
    await cp.client.request('GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
      query: { labelSelector: `batch.kubernetes.io/job-name=${job}` },
    })
  ).items as any[];

describe('why -f findings and what the real controllers then do', { skip: e2eSkipReason(), concurrency: 1 }, () => {
  const controlPlane = useControlPlane();

  test('Forbid without a deadline, a starting deadline under the reaction time, failedJobsHistoryLimit 0: one timeline with a kube-controller-manager restart', {
    timeout: 300_000,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const manifests = [
        cronJobManifest('hung', { schedule: '* * * * *', concurrencyPolicy: 'Forbid' }), // its Job runs until deleted
        cronJobManifest('short', { schedule: '* * * * *', startingDeadlineSeconds: 5 }, [{ exit: 0 }]),
        cronJobManifest('control', { schedule: '* * * * *', startingDeadlineSeconds: 120 }, [{ exit: 0 }]),
        cronJobManifest('nohistory', { schedule: '* * * * *', failedJobsHistoryLimit: 0 }, [{ exit: 1 }]),
      ];
      const r = await whyFile(cp, ns, manifests);
      assert.equal(r.code, 0, 'warnings only: exit 0');
      assert.deepEqual(codes(item(r, 'hung')), ['warning:ForbidWithoutDeadline']);
      assert.deepEqual(codes(item(r, 'short')), ['warning:StartingDeadlineTooShort']);
      assert.match(item(r, 'short').findings[0].message, /kube-controller-manager restart/);
      assert.deepEqual(codes(item(r, 'control')), []);
      assert.deepEqual(codes(item(r, 'nohistory')), ['warning:FailedHistoryZero']);

      await waitForSecondWindow(2, 15);
      const t0 = minuteStart(Date.now());
      const m = t0 + MINUTE; // the minute the restart spans
      await applyYaml(cp.kubeconfigPath, manifests, ns);
      // hung's first run now: a lastScheduleTime 5 minutes back makes the controller catch up this minute at once.
      await patchStatus(cp, ns, 'hung', { lastScheduleTime: iso(t0 - 5 * MINUTE) });
      const first = jobNameFor('hung', new Date(t0));
      await waitFor(async () => (await getCronJob(cp, ns, 'hung')).status?.active?.some((a: any) => a.name === first), {
        timeoutMs: m - 17_000 - Date.now(),
        what: `${first} active`,
      });

      // kube-controller-manager down from before m until m + 15 s: three times the short deadline.
      await sleep(m - 15_000 - Date.now());
      await cp.stopControllerManager();
      const stoppedAt = Date.now();
      log(`kube-controller-manager stopped at ${iso(stoppedAt)}; m = ${iso(m)}`);
      assert.ok(stoppedAt < m - 1000, `stopped before ${iso(m)} (took until ${new Date(stoppedAt).toISOString()})`);
      await sleep(m + 15_000 - Date.now());
      await cp.startControllerManager();
      const startedAt = Date.now();
      log(`kube-controller-manager healthy at ${new Date(startedAt).toISOString()}`);

      // The control (deadline 120 s) catches up m; short (5 s) does not, and no event says so.
      const controlM = jobNameFor('control', new Date(m));
      await waitFor(async () => namesOf(await ownedBy(cp, ns, 'control')).includes(controlM), {
        timeoutMs: 60_000,
        what: `${controlM} (the control's catch-up)`,
      });
      // hung: the controller synced it after the restart with m due and its first Job still active.
      const blocked = async () => (await cronJobEvents(cp, ns, 'hung')).filter((e) => e.reason === 'JobAlreadyActive');
      await waitFor(async () => (await blocked()).length > 0, { timeoutMs: 30_000, what: 'JobAlreadyActive on hung' });
      await sleep(3000);
      assert.deepEqual(
        namesOf(await ownedBy(cp, ns, 'short')).filter((n) => n === jobNameFor('short', new Date(m))),
        [],
        `no Job for ${iso(m)}: the restart outlasted the 5 s deadline`,
      );
      const shortEvents = (await cronJobEvents(cp, ns, 'short')).map((e) => `${e.reason}: ${e.message}`);
      assert.ok(
        !shortEvents.some((e) => e.startsWith('MissSchedule')),
        `the dropped run leaves no event: ${JSON.stringify(shortEvents)}`,
      );
      const shortMisses = (await cli(cp, ['misses', 'cronjob/short', '-n', ns, '--since', iso(t0)])).json;
      const slotM = shortMisses.slots.find((s: any) => s.time === iso(m));
      assert.equal(slotM?.fate, 'missed-deadline', JSON.stringify(shortMisses.slots));
      const shortWhy = await why(cp, ns, 'short');
      const miss = shortWhy.causes.find((c: any) => c.code === 'MissSchedule');
      assert.ok(miss, `why names the dropped run: ${JSON.stringify(shortWhy.causes.map((c: any) => c.code))}`);

      // The next time with the controller running undisturbed: short's 5 s deadline is enough.
      const next = m + MINUTE;
      if (startedAt < next - 10_000) {
        const shortNext = jobNameFor('short', new Date(next));
        await waitFor(async () => namesOf(await ownedBy(cp, ns, 'short')).includes(shortNext), {
          timeoutMs: next + 30_000 - Date.now(),
          what: `${shortNext} (nothing delays the controller)`,
        });
      } else {
        log(
          `kube-controller-manager became healthy only ${Math.round((next - startedAt) / 1000)} s before ${iso(next)}: the undisturbed run of short is not checked`,
        );
        await sleep(next + 5_000 - Date.now());
      }

      // hung: one Job only, lastScheduleTime stays at its time, m and the next are skipped (JobAlreadyActive).
      await waitFor(async () => (await blocked()).some((e) => Date.parse(e.lastTimestamp ?? '') >= next), {
        timeoutMs: next + 20_000 - Date.now(),
        what: `JobAlreadyActive on hung at ${iso(next)}`,
      });
      assert.deepEqual(namesOf(await ownedBy(cp, ns, 'hung')), [first], 'the hung run blocks every later one');
      assert.equal((await getCronJob(cp, ns, 'hung')).status.lastScheduleTime, iso(t0));
      const hungMisses = (await cli(cp, ['misses', 'cronjob/hung', '-n', ns, '--since', iso(t0 - 30_000)])).json;
      const fate = (t: number) => hungMisses.slots.find((s: any) => s.time === iso(t));
      assert.deepEqual({ fate: fate(t0)?.fate, job: fate(t0)?.job }, { fate: 'ran', job: first });
      assert.deepEqual(
        { fate: fate(m)?.fate, job: fate(m)?.job },
        { fate: 'forbid', job: first },
        JSON.stringify(hungMisses.slots),
      );
      const hungWhy = await why(cp, ns, 'hung');
      assert.equal(hungWhy.verdict, 'blocked');
      assert.equal(hungWhy.causes[0].code, 'JobAlreadyActive');
      assert.match(hungWhy.causes[0].message, new RegExp(`^Job ${first} has been running for `));

      // nohistory: its run for m (caught up after the restart: no deadline) failed and was deleted by the controller.
      const events = (await cronJobEvents(cp, ns, 'nohistory')).map((e) => `${e.reason}: ${e.message}`);
      const created = events.filter((e) => e.startsWith('SuccessfulCreate')).length;
      assert.ok(created >= 1, JSON.stringify(events));
      await waitFor(
        async () =>
          (await cronJobEvents(cp, ns, 'nohistory')).filter((e) => e.reason === 'SuccessfulDelete').length >= 1,
        { timeoutMs: 30_000, what: 'the failed Job deleted (SuccessfulDelete)' },
      );
      // Each failed run is gone at the sync after it fails (a run of the next minute may be failing right now).
      await waitFor(
        async () => (await ownedBy(cp, ns, 'nohistory')).every((j) => !condition(j, 'Failed')) || undefined,
        { timeoutMs: 30_000, what: 'no failed Job of nohistory kept' },
      );
    });
  });

  test('Job findings: a deadline shorter than the retries, TTL 0, pod failure policy rules that never match', {
    timeout: 180_000,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const manifests = [
        // backoffLimit 6, deadline 25 s: the backoff is 10 s, then 20 s: at most 1 retry starts.
        jobManifest('retries', { backoffLimit: 6, activeDeadlineSeconds: 25 }, [{ exit: 1, after: '100ms' }]),
        jobManifest('gone', { backoffLimit: 0, ttlSecondsAfterFinished: 0 }, [{ exit: 1, after: '100ms' }]),
        // rule 1 (FailJob on 42) is shadowed by rule 0 (Ignore every non-zero code): exit 42 is ignored, the pod replaced.
        jobManifest(
          'shadowed',
          {
            backoffLimit: 0,
            podFailurePolicy: {
              rules: [
                { action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [0] } },
                { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
              ],
            },
          },
          [{ exit: 42, after: '100ms' }],
        ),
        // OOMKilled is a container termination reason, not a pod condition: the rule never matches, backoffLimit decides.
        jobManifest(
          'oom',
          {
            backoffLimit: 0,
            podFailurePolicy: {
              rules: [{ action: 'Ignore', onPodConditions: [{ type: 'OOMKilled', status: 'True' }] }],
            },
          },
          [{ oom: true, after: '100ms' }],
        ),
      ];
      const r = await whyFile(cp, ns, manifests);
      assert.equal(r.code, 0);
      assert.deepEqual(codes(item(r, 'retries')), ['warning:DeadlineShorterThanRetries']);
      assert.match(
        item(r, 'retries').findings[0].message,
        /at most 1 retry can start and the Job fails with DeadlineExceeded/,
      );
      assert.deepEqual(codes(item(r, 'gone')), ['warning:TTLDestroysEvidence']);
      assert.deepEqual(codes(item(r, 'shadowed')), ['warning:PodFailurePolicyRuleNeverMatches']);
      assert.equal(item(r, 'shadowed').findings[0].path, '.spec.podFailurePolicy.rules[1].onExitCodes');
      assert.deepEqual(codes(item(r, 'oom')), ['warning:PodFailurePolicyRuleNeverMatches']);
      for (const i of r.report.items) assert.equal(i.preview, null, 'no apply preview for a Job');

      await applyYaml(cp.kubeconfigPath, manifests, ns);
      const gonePods = new Set<string>();
      const ended = await Promise.all([
        waitFor(
          async () => {
            const j = await getJob(cp, ns, 'retries');
            return condition(j, 'Failed') ? j : undefined;
          },
          { timeoutMs: 90_000, what: 'retries Failed' },
        ),
        waitFor(
          async () => {
            for (const p of await podsOf(cp, ns, 'gone')) gonePods.add(p.metadata.name);
            return gonePods.size > 0 && (await getJob(cp, ns, 'gone')) === undefined ? true : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 250, what: 'gone: ran, then deleted' },
        ),
        waitFor(
          async () =>
            (await podsOf(cp, ns, 'shadowed')).filter((p) => p.status?.phase === 'Failed').length >= 2 || undefined,
          { timeoutMs: 90_000, what: 'shadowed: a second failed pod' },
        ),
        waitFor(
          async () => {
            const j = await getJob(cp, ns, 'oom');
            return condition(j, 'Failed') ? j : undefined;
          },
          { timeoutMs: 90_000, what: 'oom Failed' },
        ),
      ]);
      const retries = ended[0];
      assert.equal(condition(retries, 'Failed').reason, 'DeadlineExceeded');
      assert.ok(
        (retries.status.failed ?? 0) + (retries.status.active ?? 0) <= 2,
        `at most the first pod and 1 retry: ${JSON.stringify(retries.status)}`,
      );
      assert.ok((await podsOf(cp, ns, 'retries')).length <= 2);
      // gone: the Job and, by cascade, its pods.
      await waitFor(async () => (await podsOf(cp, ns, 'gone')).length === 0 || undefined, {
        timeoutMs: 30_000,
        what: 'gone: its pods deleted',
      });
      const shadowed = await getJob(cp, ns, 'shadowed');
      assert.ok(
        !condition(shadowed, 'Failed'),
        `exit 42 was ignored, not FailJob: ${JSON.stringify(shadowed.status.conditions)}`,
      );
      assert.equal(shadowed.status.failed ?? 0, 0, 'an ignored failure is not counted');
      const oom = ended[3];
      assert.equal(
        condition(oom, 'Failed').reason,
        'BackoffLimitExceeded',
        'the OOMKilled condition rule did not match',
      );
      const oomPods = await podsOf(cp, ns, 'oom');
      assert.ok(
        oomPods.some((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.reason === 'OOMKilled'),
        'the container was OOMKilled',
      );
      await cp.client.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/shadowed`, undefined, {
        query: { propagationPolicy: 'Background' },
      });
    });
  });

  test("--validate=server: for each error finding the API enforces, the server's own error; nothing stored", {
    timeout: 60_000,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const failIndex = jobManifest(
        'failindex',
        { podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] } },
        [{}],
      );
      const exit0 = jobManifest(
        'exit0',
        { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] } },
        [{}],
      );
      const sidecar = jobManifest(
        'sidecar',
        {
          podFailurePolicy: {
            rules: [{ action: 'FailJob', onExitCodes: { containerName: 'sidecar', operator: 'In', values: [1] } }],
          },
        },
        [{}],
      );
      const onFailure = jobManifest(
        'onfailure',
        { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] } },
        [{}],
        'OnFailure',
      );
      const r = await whyFile(
        cp,
        ns,
        [
          cronJobManifest('mars', { schedule: '0 3 * * *', timeZone: 'Mars/Olympus' }),
          cronJobManifest('local', { schedule: '0 3 * * *', timeZone: 'Local' }),
          cronJobManifest('minute61', { schedule: '61 * * * *' }),
          failIndex,
          exit0,
          sidecar,
          onFailure,
        ],
        ['--validate=server'],
      );
      assert.equal(r.code, 1);
      const expect: Array<[string, string, string, RegExp]> = [
        ['mars', 'UnknownTimeZone', '.spec.timeZone', /unknown time zone Mars\/Olympus/],
        ['local', 'UnknownTimeZone', '.spec.timeZone', /timeZone/],
        ['minute61', 'UnparseableSchedule', '.spec.schedule', /61/],
        ['failindex', 'PodFailurePolicyRuleNeverMatches', '.spec.podFailurePolicy.rules[0]', /backoffLimitPerIndex/],
        ['exit0', 'PodFailurePolicyRuleNeverMatches', '.spec.podFailurePolicy.rules[0]', /\b0\b/],
        ['sidecar', 'PodFailurePolicyRuleNeverMatches', '.spec.podFailurePolicy.rules[0]', /sidecar|container/],
        ['onfailure', 'PodFailurePolicyNeedsNever', '.spec.template.spec.restartPolicy', /Never/],
      ];
      for (const [name, code, path, msg] of expect) {
        const f = item(r, name).findings;
        assert.ok(
          f.some((x: any) => x.code === code && x.severity === 'error'),
          `${name}: ${code} in ${JSON.stringify(f)}`,
        );
        const server = f.filter((x: any) => x.code === 'ServerRejected');
        assert.ok(
          server.some((x: any) => x.path.startsWith(path) && msg.test(x.message)),
          `${name}: the server rejects ${path} (${msg}): ${JSON.stringify(server)}`,
        );
      }
      assert.deepEqual(await jobs(cp, ns), [], 'a dry run stores no Job');
      assert.equal(
        (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items.length,
        0,
        'nor a CronJob',
      );
    });
  });

  test('--validate=server on objects that exist: an unchanged Job manifest is accepted, a changed pod template is immutable (as kubectl apply finds)', {
    timeout: 90_000,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const job = jobManifest('applied', { backoffLimit: 0 }, [{ hang: true }]);
      const cronJob = cronJobManifest('nightly', { schedule: '0 3 * * *', startingDeadlineSeconds: 300 });
      await applyYaml(cp.kubeconfigPath, [job, cronJob], ns);
      const same = await whyFile(cp, ns, [job, cronJob], ['--validate=server']);
      assert.deepEqual(
        item(same, 'applied').findings,
        [],
        'the server takes the same manifest again (the generated selector is kept)',
      );
      assert.deepEqual(item(same, 'nightly').findings, []);
      assert.equal(same.code, 0);
      // Why an apply and not an update: a PUT of the live Job with the manifest's spec (what --validate=server
      // sent before) loses the generated selector and template labels, and the server refuses even this unchanged manifest.
      // (read again on a 409: the Job controller writes the Job's status meanwhile)
      const put = await putLatest(
        cp,
        `/apis/batch/v1/namespaces/${ns}/jobs/applied`,
        (live) => ({ ...live, spec: job.spec }),
        {
          dryRun: 'All',
        },
      ).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
      assert.match(put, /selector|immutable/, `a PUT of the manifest's spec is refused: ${put}`);

      const changed = structuredClone(job);
      changed.spec.template.spec.containers[0].image = 'registry.example/other:1';
      const r = await whyFile(cp, ns, [changed], ['--validate=server']);
      assert.equal(r.code, 1);
      const server = item(r, 'applied').findings.filter((f: any) => f.code === 'ServerRejected');
      assert.ok(
        server.some((f: any) => f.path === '.spec.template' && /immutable/.test(f.message)),
        JSON.stringify(server),
      );
      const k = await kubectlApplyDryRun(cp, ns, changed);
      assert.match(k, /field is immutable/, 'kubectl apply is refused for the same reason');
      const live = await getJob(cp, ns, 'applied');
      assert.equal(
        live.spec.template.spec.containers[0].image,
        job.spec.template.spec.containers[0].image,
        'nothing changed',
      );
      await cp.client.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/applied`, undefined, {
        query: { propagationPolicy: 'Background' },
      });
    });
  });
});

/** `kubectl apply --dry-run=server` of one object: its stderr (the error) or stdout. */
async function kubectlApplyDryRun(cp: ControlPlane, ns: string, obj: object): Promise<string> {
  const r = await kubectl(['apply', '--dry-run=server', '-n', ns, '-f', '-'], {
    kubeconfig: cp.kubeconfigPath,
    input: JSON.stringify(obj),
    check: false,
  });
  return r.stdout + r.stderr;
}
