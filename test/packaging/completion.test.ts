// Shell completion (kubectl's plugin completion protocol): candidates for partial input, from
// the real commander program, with a fake cluster lookup (and the real one on a snapshot file).
import assert from 'node:assert/strict';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SourceFlags } from '../../src/cluster/open.js';
import { COMPLETION_SCRIPT } from '../../src/cli/commands/completion.js';
import {
  complete,
  completions,
  Directive,
  formatCompletion,
  type Lookup,
  type NamedObject,
} from '../../src/cli/completion.js';
import { buildProgram } from '../../src/cli/main.js';
import { EXAMPLE } from '../support/run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/kubectl_complete-job', import.meta.url));

/** A lookup over fixed objects that records what it was asked. */
function fakeLookup(objects: NamedObject[] = []) {
  const calls: Array<{ what: string; flags: SourceFlags; kinds?: string[] }> = [];
  const lookup: Lookup = {
    async objects(kinds, flags) {
      calls.push({ what: 'objects', flags, kinds });
      return objects.filter((o) => kinds.includes(o.kind));
    },
    async namespaces(flags) {
      calls.push({ what: 'namespaces', flags });
      return ['default', 'kube-system', 'prod'];
    },
    async kubeconfigNames(what, flags) {
      calls.push({ what, flags });
      return what === 'contexts' ? ['dev', 'prod-eu'] : what === 'clusters' ? ['c1'] : ['admin'];
    },
  };
  return { lookup, calls };
}

const OBJECTS: NamedObject[] = [
  { kind: 'CronJob', name: 'backup', detail: 'schedule "0 2 * * *"' },
  { kind: 'CronJob', name: 'report' },
  { kind: 'Job', name: 'backup-29000000' },
  { kind: 'Job', name: 'train-x7k2' },
];

const program = buildProgram();
const values = (c: { candidates: string[] }) => c.candidates.map((x) => x.split('\t')[0]);
const complete_ = (words: string[], objects = OBJECTS) => {
  const f = fakeLookup(objects);
  return completions(program, words, f.lookup).then((c) => ({ ...c, calls: f.calls }));
};

describe('subcommands and flags, from the commander program', () => {
  test('an empty word lists every visible subcommand with its summary, no file names', async () => {
    const c = await complete_(['']);
    assert.deepEqual(
      values(c),
      program.commands.map((cmd) => cmd.name()),
    );
    assert.ok(values(c).includes('next') && values(c).includes('completion'));
    assert.ok(
      c.candidates.every((x) => /^[a-z]+\t\S/.test(x)),
      'each with a description',
    );
    assert.equal(c.directive, Directive.NoFileComp);
  });

  test('a prefix narrows the subcommands; an unknown subcommand gets nothing', async () => {
    assert.deepEqual(values(await complete_(['ne'])), ['next']);
    assert.deepEqual(values(await complete_(['su'])), ['suspend']);
    assert.deepEqual(values(await complete_(['nope', ''])), []);
  });

  test('root flags: the global flags (accepted before the subcommand), --help, --version', async () => {
    const root = values(await complete_(['--']));
    const why = program.commands.find((c) => c.name() === 'why')!;
    for (const f of [
      '--namespace',
      '--kubeconfig',
      '--context',
      '--request-timeout',
      '--certificate-authority',
      '--as-uid',
      '--help',
      '--version',
    ])
      assert.ok(root.includes(f), f);
    assert.ok(!root.includes('--all') && !root.includes('--output'), 'no subcommand-only flags');
    assert.ok(
      root.every((f) => f === '--version' || f === '--help' || why.options.some((o) => o.long === f)),
      root.join(' '),
    );
  });

  test("after global flags placed before the subcommand: subcommands, then that subcommand's arguments with those flags", async () => {
    assert.deepEqual(values(await complete_(['-n', 'prod', 'wh'])), ['why']);
    assert.deepEqual(values(await complete_(['--namespace=prod', '--context', 'dev', 'ne'])), ['next']);
    const c = await complete_(['-n', 'prod', '--context', 'dev', 'why', 'cronjob/b']);
    assert.deepEqual(values(c), ['cronjob/backup']);
    assert.equal(c.calls[0]!.flags.namespace, 'prod');
    assert.equal(c.calls[0]!.flags.context, 'dev');
    // the value of a global flag before the subcommand
    const ns = await complete_(['-n', '']);
    assert.deepEqual(values(ns), ['default', 'kube-system', 'prod']);
    assert.deepEqual(values(await complete_(['--context', ''])), ['dev', 'prod-eu']);
    // and flags after the subcommand still override the ones before it
    const later = await complete_(['-n', 'prod', 'why', '-n', 'dev', '']);
    assert.equal(later.calls[0]!.flags.namespace, 'dev');
  });

  test('flags of the subcommand, long forms; short forms too after a lone dash', async () => {
    const next = program.commands.find((c) => c.name() === 'next')!;
    const dashDash = values(await complete_(['next', '--']));
    assert.deepEqual(dashDash, [...next.options.map((o) => o.long), '--help']);
    assert.deepEqual(values(await complete_(['next', '--sch'])), ['--schedule']);
    const dash = values(await complete_(['next', '-']));
    for (const f of ['-o', '--output', '-n', '--namespace', '-f', '--filename', '-h', '--help'])
      assert.ok(dash.includes(f), f);
    const why = values(await complete_(['why', '--a']));
    assert.deepEqual(why, ['--all', '--all-namespaces', '--all-contexts', '--as', '--as-group', '--as-uid']);
  });

  test('-o values: choices listed in the flag (json|yaml), in both spellings', async () => {
    assert.deepEqual(values(await complete_(['next', '-o', ''])), ['json', 'yaml']);
    assert.deepEqual(values(await complete_(['next', '--output', 'y'])), ['yaml']);
    assert.deepEqual(values(await complete_(['next', '--output=j'])), ['--output=json']);
    assert.deepEqual(values(await complete_(['why', '-o', ''])), ['json', 'yaml', 'wide', 'name']);
    assert.deepEqual(values(await complete_(['next', '--color', ''])), ['auto', 'always', 'never']);
  });

  test('file-valued flags leave completion to the shell (directive 0); other values offer nothing', async () => {
    for (const words of [
      ['next', '--kubeconfig', ''],
      ['next', '--snapshot', 'ex'],
      ['next', '-f', ''],
    ]) {
      const c = await complete_(words);
      assert.deepEqual(c.candidates, [], words.join(' '));
      assert.equal(c.directive, Directive.Default, words.join(' '));
    }
    const count = await complete_(['next', '--count', '']);
    assert.deepEqual(count.candidates, []);
    assert.equal(count.directive, Directive.NoFileComp);
  });
});

describe('object names from the cluster', () => {
  test('an argument that takes CronJobs only: bare CronJob names, or TYPE/NAME when a type is typed', async () => {
    const c = await complete_(['next', '']);
    assert.deepEqual(values(c), ['backup', 'report']);
    assert.equal(c.candidates[0], 'backup\tschedule "0 2 * * *"');
    assert.deepEqual(
      c.calls.map((x) => x.kinds),
      [['CronJob']],
    );
    assert.deepEqual(values(await complete_(['next', 'r'])), ['report']);
    assert.deepEqual(values(await complete_(['next', 'cronjob/b'])), ['cronjob/backup']);
    assert.deepEqual(values(await complete_(['next', 'cj/'])), ['cj/backup', 'cj/report']);
    assert.deepEqual(values(await complete_(['next', 'job/'])), [], 'next takes no Jobs');
  });

  test('an argument that takes both kinds: cronjob/NAME and job/NAME, bare names once something is typed', async () => {
    const c = await complete_(['why', '']);
    assert.deepEqual(values(c), ['cronjob/backup', 'cronjob/report', 'job/backup-29000000', 'job/train-x7k2']);
    assert.deepEqual(
      c.calls.map((x) => x.kinds),
      [['CronJob', 'Job']],
    );
    assert.deepEqual(values(await complete_(['why', 'job/'])), ['job/backup-29000000', 'job/train-x7k2']);
    assert.deepEqual(values(await complete_(['why', 'back'])), ['backup', 'backup-29000000']);
    assert.deepEqual(values(await complete_(['why', 'c'])), ['cronjob/backup', 'cronjob/report']);
    assert.deepEqual(values(await complete_(['logs', ''])), ['backup-29000000', 'train-x7k2'], 'logs takes Jobs');
  });

  test('only the declared positional slots: none after the last, more for a variadic one', async () => {
    const full = await complete_(['next', 'backup', '']);
    assert.deepEqual(full.candidates, []);
    assert.deepEqual(full.calls, [], 'no lookup for a slot that does not exist');
    assert.deepEqual(values(await complete_(['unsuspend', 'backup', ''])), ['backup', 'report']);
    assert.deepEqual(
      values(await complete_(['next', '--count', '3', ''])),
      ['backup', 'report'],
      'flag values are not positionals',
    );
  });

  test('an option whose value is an object (--from <cronjob>)', async () => {
    assert.deepEqual(values(await complete_(['trigger', '--from', ''])), ['backup', 'report']);
    assert.deepEqual(values(await complete_(['trigger', '--from=cronjob/r'])), ['--from=cronjob/report']);
  });

  test('the connection flags typed so far select the cluster, in every spelling; lookups get a short timeout', async () => {
    const c = await complete_([
      'next',
      '-nprod',
      '--context=ctx',
      '--kubeconfig',
      '/k',
      '--insecure-skip-tls-verify',
      '',
    ]);
    const flags = c.calls[0]!.flags;
    assert.equal(flags.namespace, 'prod');
    assert.equal(flags.context, 'ctx');
    assert.equal(flags.kubeconfig, '/k');
    assert.equal(flags.insecureSkipTlsVerify, true);
    assert.equal(flags.requestTimeout, '2000ms');
    const own = await complete_(['next', '--namespace', 'a', '--request-timeout', '5s', '--snapshot', 's.yaml', '']);
    assert.equal(own.calls[0]!.flags.namespace, 'a');
    assert.equal(own.calls[0]!.flags.requestTimeout, '5s');
    assert.equal(own.calls[0]!.flags.snapshot, 's.yaml');
  });

  test('namespaces, contexts, clusters and users', async () => {
    assert.deepEqual(values(await complete_(['why', '-n', 'p'])), ['prod']);
    assert.deepEqual(values(await complete_(['why', '--namespace=k'])), ['--namespace=kube-system']);
    assert.deepEqual(values(await complete_(['why', '--context', ''])), ['dev', 'prod-eu']);
    assert.deepEqual(values(await complete_(['why', '--cluster', ''])), ['c1']);
    assert.deepEqual(values(await complete_(['why', '--user', ''])), ['admin']);
  });
});

describe('the real lookup and the output kubectl reads', () => {
  test('names come from a --snapshot file (every namespace unless -n is typed)', async () => {
    const all = values(await completions(program, ['next', '--snapshot', EXAMPLE, '']));
    assert.ok(all.includes('backup') && all.includes('report'), all.join(' '));
    const prod = values(await completions(program, ['why', '--snapshot', EXAMPLE, '-n', 'prod', 'cronjob/r']));
    assert.deepEqual(prod, ['cronjob/report']);
  });

  test('context names come from the kubeconfig file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-completion-'));
    try {
      const kc = join(dir, 'config');
      writeFileSync(
        kc,
        'apiVersion: v1\nkind: Config\ncontexts:\n- name: alpha\n  context: {cluster: c}\n- name: beta\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\n',
      );
      assert.deepEqual(values(await completions(program, ['why', '--kubeconfig', kc, '--context', ''])), [
        'alpha',
        'beta',
      ]);
      assert.deepEqual(values(await completions(program, ['why', '--kubeconfig', kc, '--cluster', ''])), ['c']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unreachable cluster gives no names, quickly and silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-completion-'));
    try {
      const kc = join(dir, 'config');
      writeFileSync(
        kc,
        'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
      );
      const started = Date.now();
      for (const words of [
        ['why', '--kubeconfig', kc, ''],
        ['why', '--kubeconfig', join(dir, 'missing'), ''],
        ['why', '--kubeconfig', kc, '-n', ''],
      ]) {
        const c = await completions(program, words);
        assert.deepEqual(c.candidates, [], words.join(' '));
        assert.equal(c.directive, Directive.NoFileComp);
      }
      assert.ok(Date.now() - started < 6000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('output: one candidate per line, then :directive; complete() always exits 0', async () => {
    assert.equal(formatCompletion({ candidates: ['a\tthe a', 'b'], directive: 4 }), 'a\tthe a\nb\n:4\n');
    assert.equal(formatCompletion({ candidates: [], directive: 0 }), ':0\n');
    let out = '';
    const code = await complete(program, ['next', '--o'], { write: (s: string) => (out += s) }, {});
    assert.equal(code, 0);
    assert.equal(out, '--output\toutput format: json|yaml\n:4\n');
  });
});

describe('the completion executable', () => {
  test('bin/kubectl_complete-job is executable and is what `kubectl job completion` prints', () => {
    accessSync(BIN, constants.X_OK);
    assert.equal(readFileSync(BIN, 'utf8'), COMPLETION_SCRIPT);
  });
});
