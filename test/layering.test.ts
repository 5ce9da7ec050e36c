// The layering of src/ (README, "Design"), read from the import graph of the sources:
//   cli -> explain, output -> cluster -> controller -> api
// An import may go down or sideways, never up; no module takes part in a circle (type-only and
// dynamic imports included: they are dependencies too); each library is imported only by the
// layer that owns it; api/ and controller/ import no library at all (pure data and models).
// The graph is read with a small scanner of import statements (the sources have no other way of
// importing), and the scanner itself is checked against edges known to exist.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** Rank of each layer: a module may import from its own rank or below. src/errors.ts is shared by all. */
const RANK: Record<string, number> = { api: 0, errors: 0, controller: 1, cluster: 2, explain: 3, output: 3, cli: 4 };

/** The only layers that may import a library (others: any layer but the pure ones). */
const OWNERS: Record<string, string[]> = {
  '@kubernetes/client-node': ['cluster'],
  chalk: ['explain', 'output'],
  'cli-table3': ['explain', 'output'],
  ora: ['explain', 'output'],
  commander: ['cli'],
};

/** Layers that import nothing but other modules of src/ (no node: built-ins, no packages). */
const PURE = ['api', 'controller'];

type Graph = Map<string, string[]>;

/** `src/cluster/http.ts` -> `cluster`; `src/errors.ts` -> `errors`. */
function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.ts$/, '');
}

/** Package name of a bare specifier: `@scope/name/sub` -> `@scope/name`, `node:fs` stays. */
function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const STATIC =
  /^[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$*]+(?:\s+as\s+[\w$]+)?\s*,?\s*)?(?:\{[^}]*\})?\s*from\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\s*\(\s*(['"]?)([^'")]*)\1\s*\)/g;

/** The specifiers a source file imports (static, type-only and dynamic), comments left out. */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(STATIC)) specs.push(m[1]!);
  for (const m of text.matchAll(DYNAMIC)) {
    const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    if (line.includes('//') || /^\s*\*/.test(line) || /^\s*\/\*/.test(line)) continue;
    if (m[1] === '') throw new Error(`import(${m[2]}) is not a string literal: the layering test cannot follow it`);
    specs.push(m[2]!);
  }
  return specs;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** src/-relative file -> imported src/-relative files and bare specifiers. */
function readGraph(): Graph {
  const g: Graph = new Map();
  for (const abs of sourceFiles(SRC).sort()) {
    const file = relative(ROOT, abs);
    g.set(
      file,
      importsOf(readFileSync(abs, 'utf8')).map((spec) => {
        if (!spec.startsWith('.')) return spec;
        const target = resolve(dirname(abs), spec).replace(/\.js$/, '.ts');
        if (!existsSync(target)) throw new Error(`${file} imports ${spec}, which is no file of src/`);
        return relative(ROOT, target);
      }),
    );
  }
  return g;
}

/** Imports that break the rules, one line each. */
function violations(g: Graph): string[] {
  const out: string[] = [];
  for (const [file, targets] of g) {
    const from = layerOf(file);
    if (RANK[from] === undefined)
      out.push(`${file}: layer "${from}" is not in the layer table of test/layering.test.ts`);
    for (const t of targets) {
      if (t.startsWith('src/')) {
        const to = layerOf(t);
        if (from === 'api' && to !== 'api')
          out.push(`${file} imports ${t}: api/ is the bottom layer and imports nothing else`);
        else if ((RANK[to] ?? Infinity) > (RANK[from] ?? -Infinity))
          out.push(`${file} imports ${t}: ${from} may not import from ${to}, a higher layer`);
        continue;
      }
      const pkg = packageOf(t);
      if (PURE.includes(from)) out.push(`${file} imports ${t}: ${from}/ imports no library or built-in module`);
      else if (OWNERS[pkg] && !OWNERS[pkg].includes(from))
        out.push(`${file} imports ${pkg}, which only ${OWNERS[pkg].join(' and ')} may import`);
    }
  }
  return out;
}

/** Every circle of imports, each as the path that closes it. */
function circles(g: Graph): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const t of g.get(n) ?? []) {
      if (!g.has(t)) continue;
      if (state.get(t) === 'open') found.push([...stack.slice(stack.indexOf(t)), t].join(' -> '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of g.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('layering of src/', () => {
  const graph = readGraph();

  it('reads the imports the sources are known to have', () => {
    const has = (from: string, to: string) =>
      assert.ok(graph.get(from)?.includes(to), `${from} -> ${to} not found by the scanner`);
    has('src/cli/main.ts', 'commander'); // a plain import
    has('src/cluster/http.ts', 'src/cluster/transport-node.ts'); // a dynamic import
    has('src/cluster/http.ts', 'src/cluster/wire.ts'); // import type
    has('src/controller/job/index.ts', 'src/controller/job/sync.ts'); // export ... from
    has('src/cluster/plugin-credentials.ts', '@kubernetes/client-node');
    assert.ok(graph.size > 100, `only ${graph.size} files read`);
  });

  it('imports only down or sideways, and each library from the layer that owns it', () => {
    assert.deepEqual(violations(graph), []);
  });

  it('has no circle of imports', () => {
    assert.deepEqual(circles(graph), []);
  });

  it('the Kubernetes API types are at the bottom, used by the layers above', () => {
    const users = new Set([...graph].filter(([, ts]) => ts.includes('src/api/types.ts')).map(([f]) => layerOf(f)));
    for (const layer of ['controller', 'cluster'])
      assert.ok(users.has(layer), `${layer} does not import src/api/types.ts`);
  });
});

describe('layering rules catch', () => {
  const g = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges));

  it('an import from a lower layer to a higher one', () => {
    assert.match(
      violations(g({ 'src/controller/a.ts': ['src/cluster/b.ts'], 'src/cluster/b.ts': [] })).join('\n'),
      /controller may not import from cluster/,
    );
    assert.match(violations(g({ 'src/api/types.ts': ['src/errors.ts'] })).join('\n'), /api\/ is the bottom layer/);
    assert.deepEqual(
      violations(g({ 'src/output/a.ts': ['src/explain/b.ts'], 'src/cli/c.ts': ['src/api/types.ts', 'src/errors.ts'] })),
      [],
    );
  });

  it('a library imported outside its layer, and any library in a pure layer', () => {
    assert.match(
      violations(g({ 'src/cli/a.ts': ['@kubernetes/client-node/dist/x.js'] })).join('\n'),
      /only cluster may import/,
    );
    assert.match(violations(g({ 'src/cluster/a.ts': ['chalk'] })).join('\n'), /only explain and output may import/);
    assert.match(violations(g({ 'src/controller/a.ts': ['node:fs'] })).join('\n'), /imports no library/);
    assert.match(violations(g({ 'src/tools/a.ts': [] })).join('\n'), /not in the layer table/);
  });

  it('a circle, also through a type-only import', () => {
    assert.deepEqual(
      circles(g({ 'src/cluster/a.ts': ['src/cluster/b.ts'], 'src/cluster/b.ts': ['src/cluster/a.ts'] })),
      ['src/cluster/a.ts -> src/cluster/b.ts -> src/cluster/a.ts'],
    );
    assert.deepEqual(
      importsOf(
        "import type { T } from './a.js';\nexport {\n  x,\n  y,\n} from './b.js';\n// see import('./c.js')\nconst m = await import('./d.js');",
      ),
      ['./a.js', './b.js', './d.js'],
    );
  });
});
