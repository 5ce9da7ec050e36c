// `kubectl job next` and the cron engine against the real CronJob controller: the run the
// controller starts is the one the tool lists, by time, Job name and scheduled-timestamp annotation.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import {
  applyYaml,
  e2eSkipReason,
  kubectl,
  nodeImage,
  useControlPlane,
  waitFor,
  withNamespace,
} from './harness/index.js';
import { cliCommand } from '../support/cli-command.js';

const cli = cliCommand();
const run = promisify(execFile);

/** Waits until the wall clock is early in a minute, so no schedule time passes mid-step. */
async function earlyInMinute(): Promise<void> {
  for (;;) {
    const s = new Date().getUTCSeconds();
    if (s >= 2 && s <= 30) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('next agrees with the real CronJob controller', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  for (const [zone, schedule] of [
    ['Asia/Kathmandu', '*/2 * * * *'],
    ['America/St_Johns', '*/3 * * * *'],
  ] as const) {
    test(`${schedule} in ${zone}: the controller creates the run next listed`, { timeout: 180_000 }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        await earlyInMinute();
        await applyYaml(
          cp.kubeconfigPath,
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata: { name: 'tick' },
            spec: {
              schedule,
              timeZone: zone,
              jobTemplate: {
                spec: {
                  template: {
                    spec: {
                      restartPolicy: 'Never',
                      containers: [{ name: 'main', image: nodeImage(), command: ['true'] }],
                    },
                  },
                },
              },
            },
          },
          ns,
        );
        const next = async (...args: string[]) => {
          const { stdout } = await run(cli.cmd, [
            ...cli.args,
            'next',
            'cronjob/tick',
            '-n',
            ns,
            '--kubeconfig',
            cp.kubeconfigPath,
            '-o',
            'json',
            ...args,
          ]);
          return JSON.parse(stdout) as { timeZone: string; times: string[] };
        };
        // The schedule times of the last 15 minutes, as the tool computes them.
        const now = Date.now();
        const listed = await next('--from', new Date(now - 15 * 60_000).toISOString(), '--count', '20');
        assert.equal(listed.timeZone, zone);
        const due = listed.times.filter((t) => Date.parse(t) <= now);
        assert.ok(due.length >= 2, `expected at least two past schedule times, got ${due.join(', ')}`);
        const [prev, last] = due.slice(-2) as [string, string];
        // The tool says the run after `prev` is `last`; tell the controller it last ran at `prev`.
        assert.deepEqual((await next('--from', prev, '--count', '1')).times, [last]);
        await kubectl(
          [
            'patch',
            'cronjob',
            'tick',
            '-n',
            ns,
            '--subresource=status',
            '--type=merge',
            '-p',
            JSON.stringify({ status: { lastScheduleTime: prev } }),
          ],
          { kubeconfig: cp.kubeconfigPath },
        );

        const job = await waitFor(
          async () => {
            const list = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`);
            return list.items[0];
          },
          { timeoutMs: 30_000, what: 'the Job the controller creates' },
        );
        assert.equal(job.metadata.name, `tick-${Date.parse(last) / 60_000}`);
        const stamp = job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'];
        assert.equal(Date.parse(stamp), Date.parse(last));
        assert.match(stamp, zone === 'Asia/Kathmandu' ? /\+05:45$/ : /-0[23]:30$/, "stamped in the CronJob's zone");
        const cj = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs/tick`);
        assert.equal(cj.status.lastScheduleTime, last);
      });
    });
  }
});
