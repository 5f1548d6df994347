// One esbuild run produces every entry point. Large parts that only some commands need are
// bundles of their own (LAZY below), required at run time on first use, so that what VS Code
// evaluates on activation stays small.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entries = {
  extension: 'src/extension.ts',
  cli: 'src/cli/main.ts',
  bench: 'bench/main.ts',
};
/** Modules built as their own bundle: every import of them elsewhere becomes a run-time require. */
const LAZY = {
  demoCluster: 'src/demo/demoCluster.ts',
  // Required by src/cluster/clientNode.ts when the first context opens.
  clientNode: 'src/cluster/clientNodeExports.ts',
};
const entryPoints = Object.fromEntries(
  Object.entries({ ...entries, ...LAZY }).filter(([, file]) => existsSync(file)),
);

/** @type {import('esbuild').Plugin} */
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    for (const [name, file] of Object.entries(LAZY)) {
      const module = file.replace(/^src\//, '').replace(/\.ts$/, '');
      const filter = new RegExp(`/${module.split('/').pop()}$`);
      build.onResolve({ filter }, (args) =>
        args.kind === 'entry-point' ? undefined : { path: `./${name}.js`, external: true },
      );
    }
  },
};

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  plugins: [lazyBundles],
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
