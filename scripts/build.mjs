// Bundles the CLI into one ESM file (dist/kubectl-job.mjs): one file to resolve and parse
// starts much faster than the client library's module graph.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/run.ts'],
  outfile: 'dist/kubectl-job.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  define: { 'process.env.KUBECTL_JOB_BUNDLED': '"1"' },
  metafile: false,
});
console.error(`built dist/kubectl-job.mjs (kubectl-job ${pkg.version})`);
