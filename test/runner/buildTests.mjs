// Compiles the extension-host suite: every test/integration/**/*.ts to dist/test/integration/**/*.js.
// Kept apart from scripts/build.mjs so the extension's build never ships test code.
// `vscode` is provided by the extension host; mocha is required from node_modules at run time
// (bundling it would pull in its optional reporters and browser shims for nothing).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './provision.mjs';

export const integrationSrc = join(repoRoot, 'test', 'integration');
export const integrationOut = join(repoRoot, 'dist', 'test', 'integration');
/** The compiled test index that VS Code loads as `extensionTestsPath`. */
export const testIndex = join(integrationOut, 'index.js');

export async function buildTests() {
  const entryPoints = readdirSync(integrationSrc, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(integrationSrc, file));
  // The index runs every compiled test it finds: a deleted test's old output must not linger.
  rmSync(integrationOut, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: integrationSrc,
    outdir: integrationOut,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return testIndex;
}

if (process.argv[1] === import.meta.filename) await buildTests();
