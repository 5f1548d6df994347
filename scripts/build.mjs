// One esbuild run produces every entry point. Client-node is bundled into the chunks that
// need it only: extension.js loads it lazily (see src/cluster/), so activation stays small.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entries = {
  extension: 'src/extension.ts',
  cli: 'src/cli/main.ts',
  bench: 'bench/main.ts',
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // Always minified: client-node's generated code triples the bundle otherwise. Source maps
  // keep stack traces readable outside a packaged release.
  sourcemap: production ? false : 'linked',
  minify: true,
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
  // Some ESM dependencies read import.meta.url; give them the CJS equivalent.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  const result = await esbuild.build(options);
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) process.stdout.write(`${file} ${(out.bytes / 1024).toFixed(0)} KB\n`);
  }
}
