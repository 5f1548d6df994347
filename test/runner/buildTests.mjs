// Compiles an extension-host suite: every test/<suite>/**/*.ts to dist/test/<suite>/**/*.js.
// Two suites: `integration` (a trusted window) and `integration-restricted` (Restricted Mode).
// Kept apart from scripts/build.mjs so the extension's build never ships test code.
// `vscode` is provided by the extension host; mocha is required from node_modules at run time
// (bundling it would pull in its optional reporters and browser shims for nothing).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './provision.mjs';

/** The suites, by the folder under test/ that holds them. */
export const SUITES = ['integration', 'integration-restricted'];

/**
 * Builds one suite and returns its compiled index, which VS Code loads as `extensionTestsPath`.
 * @param {string} [suite] one of SUITES
 */
export async function buildTests(suite = 'integration') {
  if (!SUITES.includes(suite)) throw new Error(`no extension-host suite "${suite}" (${SUITES.join(', ')})`);
  const source = join(repoRoot, 'test', suite);
  const out = join(repoRoot, 'dist', 'test', suite);
  const entryPoints = readdirSync(source, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(source, file));
  // The index runs every compiled test it finds: a deleted test's old output must not linger.
  rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: source,
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(out, 'index.js');
}

if (process.argv[1] === import.meta.filename) for (const suite of SUITES) await buildTests(suite);
