// `why -f` in process: the flag rules (a pure, table-tested function), and whole runs on manifest
// files against the example snapshot (the apply preview) and with --local (findings only).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseWhyFileOptions, type WhyFileFlags } from '../../src/cli/commands/why-file.js';
import { UsageError } from '../../src/errors.js';
import type { OutputFormat } from '../../src/output/format.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';

describe('parseWhyFileOptions', () => {
  const ok: Array<[string, string[], WhyFileFlags, OutputFormat, object]> = [
    [
      'a file',
      [],
      { filename: ['a.yaml'] },
      'text',
      { inputs: ['a.yaml'], recursive: false, local: false, validate: 'none', format: 'text' },
    ],
    ['stdin, json', [], { filename: ['-'] }, 'json', { inputs: ['-'], format: 'json' }],
    [
      'a directory, -R, --validate=server',
      [],
      { filename: ['dir'], recursive: true, validate: 'server' },
      'yaml',
      { recursive: true, validate: 'server', format: 'yaml' },
    ],
    ['-o wide is text', [], { filename: ['a'] }, 'wide', { format: 'text' }],
    ['--validate=none', [], { filename: ['a'], validate: 'none' }, 'text', { validate: 'none' }],
    ['--local', [], { filename: ['a'], local: true }, 'text', { local: true }],
  ];
  for (const [name, args, flags, format, want] of ok) {
    test(name, () => {
      const got = parseWhyFileOptions(args, flags, format) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
  const bad: Array<[string, string[], WhyFileFlags, OutputFormat, RegExp]> = [
    ['a name and -f', ['backup'], { filename: ['a'] }, 'text', /not both/],
    ['--all', [], { filename: ['a'], all: true }, 'text', /--all/],
    ['--since', [], { filename: ['a'], since: '1h' }, 'text', /--since/],
    ['-o name', [], { filename: ['a'] }, 'name', /-o name/],
    ['an unknown --validate', [], { filename: ['a'], validate: 'strict' }, 'text', /server or none/],
    ['--validate=server --local', [], { filename: ['a'], validate: 'server', local: true }, 'text', /--local/],
    [
      '--validate=server --snapshot',
      [],
      { filename: ['a'], validate: 'server', snapshot: 's.yaml' },
      'text',
      /--snapshot/,
    ],
    ['-R on stdin', [], { filename: ['-'], recursive: true }, 'text', /stdin/],
    ['-R without -f', [], { recursive: true }, 'text', /-f needs/],
    ['-f - twice', [], { filename: ['-', 'a', '-'] }, 'text', /-f - \(stdin\) given more than once/],
  ];
  for (const [name, args, flags, format, re] of bad) {
    test(`refused: ${name}`, () =>
      assert.throws(
        () => parseWhyFileOptions(args, flags, format),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
      ));
  }
});

describe('why -f runs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kjob-why-f-'));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const template = `  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: busybox}]
`;
  // cronjob/backup in the example is suspended since 2026-11-20 (last run 2026-11-20T02:00); the snapshot is of 2026-11-23T08:00.
  const resume = write(
    'backup.yaml',
    `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: prod}
spec:
  schedule: "0 2 * * *"
  timeZone: Europe/Berlin
  suspend: false
${template}---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: prod}
`,
  );

  test('against the snapshot: applying suspend: false starts the catch-up run at once (a prediction); the ConfigMap is noted on stderr', async () => {
    const r = await runCli(['why', '-f', resume, '--snapshot', EXAMPLE, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^note: skipped ConfigMap\/settings in .*backup\.yaml#2: ConfigMap is not a CronJob or Job$/m,
    );
    const report = JSON.parse(r.stdout);
    assert.equal(report.kind, 'ManifestReport');
    assert.equal(report.now, '2026-11-23T08:00:00.000Z');
    const [item] = report.items;
    assert.equal(item.name, 'backup');
    assert.equal(item.namespace, 'prod');
    assert.deepEqual(item.findings, []);
    assert.equal(item.preview.kind, 'prediction');
    assert.equal(item.preview.trigger, 'updated');
    assert.equal(item.preview.decision.action, 'create');
    assert.equal(item.preview.decision.scheduledTime, '2026-11-23T01:00:00Z', '02:00 in Berlin');
    assert.equal(item.preview.catchUp, true);
    assert.deepEqual(report.summary, { errors: 0, warnings: 0, infos: 0 });
  });

  test('text output: the prediction is labelled as such', async () => {
    const r = await runCli(['why', '-f', resume, '--snapshot', EXAMPLE]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^cronjob\/backup in namespace prod$/m);
    assert.match(r.stdout, /After apply +predicted: the change keeps the schedule, so the controller syncs at once/);
    assert.match(r.stdout, /predicted: it starts job\/backup-\d+ for the missed time 2026-11-23T01:00:00Z/);
  });

  test('a manifest that drops .spec.timeZone changes the schedule: nothing at once, the next 02:00 UTC; a sync right away would catch up', async () => {
    const noZone = write('backup-utc.yaml', fs.readFileSync(resume, 'utf8').replace('  timeZone: Europe/Berlin\n', ''));
    const item = JSON.parse((await runCli(['why', '-f', noZone, '--snapshot', EXAMPLE, '-o', 'json'])).stdout).items[0];
    assert.equal(item.preview.trigger, 'schedule-changed');
    assert.equal(item.preview.syncAt, '2026-11-24T02:00:00.100Z');
    assert.equal(item.preview.decision.scheduledTime, '2026-11-24T02:00:00Z');
    assert.equal(item.preview.ifSyncedNow.scheduledTime, '2026-11-23T02:00:00Z');
  });

  test('--local: findings only, exit 1 on an error finding; -o yaml', async () => {
    const broken = write(
      'broken.yaml',
      `apiVersion: batch/v1
kind: CronJob
metadata: {name: every}
spec:
  schedule: "@every 5m"
  startingDeadlineSeconds: 60
${template}`,
    );
    const r = await runCli(['why', '-f', broken, '--local', '-o', 'json']);
    assert.equal(r.code, 1);
    const item = JSON.parse(r.stdout).items[0];
    assert.equal(item.preview, null);
    assert.equal(item.previewSkipped, 'no cluster read (--local)');
    assert.deepEqual(
      item.findings.map((f: { code: string }) => f.code),
      ['EveryDeadlineNeverRuns'],
    );
    const y = await runCli(['why', '-f', broken, '--local', '-o', 'yaml']);
    assert.match(y.stdout, /^kind: ManifestReport$/m);
    assert.match(y.stdout, /code: EveryDeadlineNeverRuns/);
  });

  test('no cluster access: a warning, the findings only (exit 0); with --validate=server it is a cluster error (exit 3)', async () => {
    // The run's environment is given, not the test process's: a kubeconfig path that does not exist.
    const env = { KUBECONFIG: path.join(dir, 'no-such-kubeconfig') };
    const r = await runCli(['why', '-f', resume, '-o', 'json'], { env });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^Warning: no cluster access \(.*\): static findings only$/m);
    const item = JSON.parse(r.stdout).items[0];
    assert.equal(item.preview, null);
    assert.match(item.previewSkipped, /^no cluster access/);
    const v = await runCli(['why', '-f', resume, '--validate=server'], { env });
    assert.equal(v.code, 3);
  });

  test("-f - reads the manifests from standard input (the context's), beside a file", async () => {
    const every = `apiVersion: batch/v1
kind: CronJob
metadata: {name: every-stdin}
spec:
  schedule: "@every 5m"
  startingDeadlineSeconds: 60
${template}`;
    const r = await runCli(['why', '-f', '-', '-f', resume, '--local', '-o', 'json'], { input: every });
    assert.equal(r.code, 1, r.stderr);
    const items = JSON.parse(r.stdout).items;
    assert.deepEqual(
      items.map((i: { name: string; source: string }) => [i.name, i.source === 'stdin']),
      [
        ['every-stdin', true],
        ['backup', false],
      ],
    );
    assert.deepEqual(
      items[0].findings.map((f: { code: string }) => f.code),
      ['EveryDeadlineNeverRuns'],
    );
    const empty = await runCli(['why', '-f', '-', '--local', '-o', 'json']);
    assert.equal(empty.code, 0);
    assert.match(empty.stderr, /note: no CronJob or Job found in -/);
  });

  test('a directory with nothing of ours: a note, exit 0', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kjob-why-f-empty-'));
    fs.writeFileSync(path.join(empty, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const r = await runCli(['why', '-f', empty, '--local', '-o', 'json']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /note: no CronJob or Job found/);
    assert.deepEqual(JSON.parse(r.stdout).items, []);
  });

  test('a file that is not YAML: one line, exit 2', async () => {
    const r = await runCli(['why', '-f', write('bad.yaml', 'a: [1\nb: }'), '--local']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not YAML or JSON: line \d+/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  });
});
