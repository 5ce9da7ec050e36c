// Bundles the CLI with esbuild.
//
//   node scripts/build.mjs          dist/kubectl-job.mjs (+ dist/chunks/): ESM, run by bin/kubectl-job.
//                                   Code behind a dynamic import() (the client library, the snapshot
//                                   reader, completion...) sits in its own chunk, read only when used.
//   node scripts/build.mjs --sea    also dist/sea/kubectl-job.cjs: the one CommonJS script a Node 20
//                                   single executable runs (scripts/package.mjs).
//
// In both, ora and cli-table3 are evaluated on first use rather than at start-up (see lazyDeps).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const sea = process.argv.includes('--sea');

// Packages whose default export is only called (ora) or constructed (cli-table3) in src/: the
// import is replaced by a stand-in that requires the package when first called, so a run that
// draws no spinner or table does not pay for evaluating them and their dependencies. esbuild
// turns that require() into a lazy initialiser; the package is still in the bundle. A new
// named import from either package fails the build here ("No matching export").
const LAZY = {
  ora: 'export default function ora(options) { return require("ora").default(options); }',
  'cli-table3': 'export default function Table(options) { const T = require("cli-table3"); return new T(options); }',
};
const lazyDeps = {
  name: 'lazy-deps',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-deps' || !args.importer.startsWith(`${root}src`) ? undefined : { path: args.path, namespace: 'lazy-deps' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-deps' }, (args) => ({ contents: LAZY[args.path], resolveDir: root, loader: 'js' }));
  },
};

// In a single executable, require() loads only built-in modules, and a call for anything else
// prints a warning (on every run) before it throws. Bundled code does make such calls for optional
// packages that are not installed (debug's supports-color, ws's bufferutil, node-fetch's
// encoding), inside try/catch. For the executable those become a bundled module that throws
// MODULE_NOT_FOUND, as require() would in a plain install without them: same behaviour, no warning.
const absentOptional = {
  name: 'absent-optional',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (isBuiltin(args.path) || args.pluginData === 'absent-optional') return undefined;
      const found = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'absent-optional' });
      return found.errors.length > 0 ? { path: args.path, namespace: 'absent-optional' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'absent-optional' }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.KUBECTL_JOB_BUNDLED': '"1"' },
  plugins: [lazyDeps],
};

rmSync(`${root}dist/chunks`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { 'kubectl-job': 'src/cli/run.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});
console.error(`built dist/kubectl-job.mjs (kubectl-job ${pkg.version})`);

if (sea) {
  await build({
    ...common,
    entryPoints: ['src/cli/sea-entry.ts'],
    outfile: 'dist/sea/kubectl-job.cjs',
    format: 'cjs',
    plugins: [lazyDeps, absentOptional],
  });
  console.error('built dist/sea/kubectl-job.cjs');
}
