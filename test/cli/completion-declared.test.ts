// Completion offers what the flags and arguments declare (src/cli/flag-values.ts), not what their
// help text happens to say. (test/packaging/completion.test.ts covers the protocol and the cluster names.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { completions, Directive, type Lookup } from '../../src/cli/completion.js';
import { argument, flag, Values } from '../../src/cli/flag-values.js';
import { buildProgram } from '../../src/cli/main.js';

const noCluster: Lookup = {
  objects: async (kinds) => kinds.map((kind) => ({ kind, name: `a-${kind.toLowerCase()}` })),
  namespaces: async () => ['ns1'],
  kubeconfigNames: async (what) => [`a-${what}`],
};
const values = (c: { candidates: string[] }) => c.candidates.map((x) => x.split('\t')[0]);
const program = buildProgram();

describe('completion reads the declarations', () => {
  test('declared choices whose help text lists no a|b: --owner, --dry-run, --validate, snapshot -o', async () => {
    assert.deepEqual(values(await completions(program, ['trigger', '--owner', ''], noCluster)), [
      'controller',
      'plain',
      'none',
    ]);
    assert.deepEqual(values(await completions(program, ['clean', '--dry-run=s'], noCluster)), ['--dry-run=server']);
    assert.deepEqual(values(await completions(program, ['why', '--validate', ''], noCluster)), ['server', 'none']);
    assert.deepEqual(values(await completions(program, ['snapshot', '-o', ''], noCluster)), ['json', 'yaml']);
  });

  test('a description that looks like a list, or a placeholder that looks like a file or a kind, changes nothing', async () => {
    const p = new Command('kubectl job');
    p.command('x')
      .addArgument(argument('[cronjob]', 'cronjob/NAME', Values.none))
      .addOption(flag('--mode <file>', 'output format: json|yaml', Values.none))
      .addOption(flag('--pick <v>', 'anything', Values.oneOf(['b', 'a'])))
      .addOption(flag('--job <name>', 'a job', Values.objects('Job')))
      .addOption(flag('--where <v>', 'where', Values.files));
    const mode = await completions(p, ['x', '--mode', ''], noCluster);
    assert.deepEqual(mode, { candidates: [], directive: Directive.NoFileComp });
    assert.deepEqual(await completions(p, ['x', ''], noCluster), { candidates: [], directive: Directive.NoFileComp });
    assert.deepEqual(values(await completions(p, ['x', '--pick', ''], noCluster)), ['b', 'a']);
    assert.deepEqual(values(await completions(p, ['x', '--job', ''], noCluster)), ['a-job']);
    assert.deepEqual(await completions(p, ['x', '--where', ''], noCluster), {
      candidates: [],
      directive: Directive.Default,
    });
  });

  test("hidden subcommands are not offered (commander's visibleCommands)", async () => {
    const p = new Command('kubectl job');
    p.command('shown').summary('s');
    p.command('secret', { hidden: true });
    assert.deepEqual(values(await completions(p, [''], noCluster)), ['shown']);
    assert.deepEqual(values(await completions(p, ['secret', '--'], noCluster)), []);
  });
});
