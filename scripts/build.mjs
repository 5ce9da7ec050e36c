// Bundles the CLI with esbuild.
//
//   node scripts/build.mjs          dist/kubectl-job.mjs (+ dist/chunks/): ESM, run by bin/kubectl-job.
//                                   Code behind a dynamic import() (the client library, the snapshot
//                                   reader, completion...) sits in its own chunk, read only when used.
//   node scripts/build.mjs --outdir DIR   the same bundle into DIR instead of dist/ (tests)
//   node scripts/build.mjs --exe    also dist/exe/kubectl-job.cjs: the one CommonJS script that
//                                   scripts/package.mjs compiles into the single executable.
//
// In both, ora and cli-table3 are evaluated on first use rather than at start-up (see lazyDeps).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const exe = process.argv.includes('--exe');
const outdir = process.argv.includes('--outdir') ? process.argv[process.argv.indexOf('--outdir') + 1] : 'dist';

// Packages whose exports are only called (ora, yaml) or constructed (cli-table3, chalk's Chalk) in src/:
// the import is replaced by a stand-in that requires the package when first used, so a run that
// draws no spinner, table or colour does not pay for evaluating them and their dependencies
// (chalk's supports-color loads node:tty). esbuild turns that require() into a lazy
// initialiser; the package is still in the bundle. A new named import from these packages
// fails the build here ("No matching export").
//
// commander needs node:child_process only to run executable subcommands, which this CLI has
// none of: its import is a stand-in that loads the module on first property access.
const LAZY = {
  ora: 'export default function ora(options) { return require("ora").default(options); }',
  'cli-table3': 'export default function Table(options) { const T = require("cli-table3"); return new T(options); }',
  chalk: 'export class Chalk { constructor(options) { return new (require("chalk").Chalk)(options); } }',
  yaml: ['parse', 'stringify', 'parseAllDocuments', 'parseDocument']
    .map((f) => `export function ${f}(...a) { return require("yaml").${f}(...a); }`)
    .join('\n'),
};
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/')
        ? { path: 'child_process', namespace: 'lazy-child-process' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: 'let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require("node:child_process"))[k] });',
      loader: 'js',
    }));
  },
};
const lazyDeps = {
  name: 'lazy-deps',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-deps' || !args.importer.startsWith(`${root}src`)
        ? undefined
        : { path: args.path, namespace: 'lazy-deps' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-deps' }, (args) => ({
      contents: LAZY[args.path],
      resolveDir: root,
      loader: 'js',
    }));
  },
};

// The executable's bundle must be closed: the executable cannot load packages from disk. Bundled
// code does require() optional packages that are not installed (debug's supports-color, ws's
// bufferutil, node-fetch's encoding), inside try/catch. For the executable those become a bundled
// module that throws MODULE_NOT_FOUND, as require() would in a plain install without them.
const absentOptional = {
  name: 'absent-optional',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (isBuiltin(args.path) || args.pluginData === 'absent-optional') return undefined;
      const found = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'absent-optional',
      });
      return found.errors.length > 0 ? { path: args.path, namespace: 'absent-optional' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'absent-optional' }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

// @kubernetes/client-node runs only the kubeconfig's exec plugins and auth providers here
// (src/cluster/plugin-credentials.ts: KubeConfig.applyToHTTPSOptions, which uses node:https). Its
// own HTTP clients import undici (fetch, Agent, ProxyAgent: 740 kB), which the tool never calls;
// in the executable, Bun would still load all of it at every start. There undici is a stand-in:
// fetch is the runtime's, and the agents say they are absent if anything ever constructs one.
const noUndici = {
  name: 'no-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      args.importer.includes('node_modules/@kubernetes/client-node/')
        ? { path: 'undici', namespace: 'no-undici' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-undici' }, () => ({
      contents: [
        'const absent = (name) => class { constructor() { throw new Error("undici." + name + " is not part of the kubectl-job executable"); } };',
        'module.exports = { fetch: (...args) => globalThis.fetch(...args), Agent: absent("Agent"), ProxyAgent: absent("ProxyAgent") };',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// Node.js builtins imported by an ES module get an ES module facade, and building it reads every
// export of the builtin: for node:http that includes the getters that load undici (WebSocket,
// EventSource...), about 60 ms on a 2-core machine, and each facade costs something of its own. In
// the ESM bundle an import of a builtin becomes process.getBuiltinModule() (Node 22.3+), the
// builtin's own exports object, without a facade. The stand-in is made per importing file and
// exports what that file imports (default and named imports, read from its import statements),
// so only those names are read; a file whose import of the builtin is not of that form (import *
// as ns) gets a CommonJS stand-in, whose names esbuild copies as getters (__toESM: cheap, except
// on node:util, where it makes Node load its diff and trace-sigint modules). One stand-in per
// importing file also keeps code splitting from making a chunk of its own for one.
function importedNames(importer, id) {
  const source = readFileSync(importer, 'utf8');
  const esc = id.replace(/[/.:]/g, '\\$&');
  if (new RegExp(`\\bimport\\s+[\\w$\\s,]*\\*\\s*as\\s+[\\w$]+\\s*from\\s*['"]${esc}['"]`).test(source))
    return undefined;
  const names = new Set();
  const re = new RegExp(`\\bimport\\s+(?!type\\s)([\\w$\\s{},]*?)\\s*from\\s*['"]${esc}['"]`, 'g');
  let found = false;
  for (const m of source.matchAll(re)) {
    found = true;
    const clause = m[1].trim();
    const braces = /\{([^}]*)\}/.exec(clause);
    const head = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, ' ')
      .trim();
    if (head) names.add('default');
    for (const part of braces ? braces[1].split(',') : []) {
      const name = part
        .trim()
        .split(/\s+as\s+/)[0]
        .trim();
      if (name && !name.startsWith('type ')) names.add(name);
    }
  }
  return found ? names : undefined;
}
const builtinsDirect = {
  name: 'builtins-direct',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path)
        ? { path: `${args.path}?${args.importer}`, namespace: 'builtins-direct' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtins-direct' }, (args) => {
      const [id, importer] = [args.path.slice(0, args.path.indexOf('?')), args.path.slice(args.path.indexOf('?') + 1)];
      const get = `process.getBuiltinModule(${JSON.stringify(id)})`;
      const names = importedNames(importer, id);
      if (!names) return { contents: `module.exports = ${get};`, loader: 'js' };
      const lines = [`const m = ${get};`, 'export default m;'];
      for (const n of names) if (n !== 'default') lines.push(`export const ${n} = m.${n};`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22.19',
  minify: !process.env.KUBECTL_JOB_NO_MINIFY,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.KUBECTL_JOB_BUNDLED': '"1"' },
  plugins: [lazyDeps, lazyChildProcess],
};

rmSync(resolve(root, outdir, 'chunks'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { 'kubectl-job': 'src/cli/run.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [...common.plugins, builtinsDirect],
  // require() for bundled CommonJS code that loads builtins (or optional packages, in try/catch):
  // made on the first call, so a chunk that never requires pays nothing at start-up.
  banner: {
    js: 'let __rq;const require=(id)=>(__rq??=process.getBuiltinModule("node:module").createRequire(import.meta.url))(id);',
  },
});
console.error(`built ${join(outdir, 'kubectl-job.mjs')} (kubectl-job ${pkg.version})`);

if (exe) {
  await build({
    ...common,
    entryPoints: ['src/cli/exe-entry.ts'],
    outfile: 'dist/exe/kubectl-job.cjs',
    format: 'cjs',
    plugins: [noUndici, lazyDeps, lazyChildProcess, absentOptional],
  });
  console.error('built dist/exe/kubectl-job.cjs');
}
