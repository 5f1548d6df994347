// `npm test`: build, unit tests (plain mocha), then the two extension-host suites in a real VS Code
// (test/integration trusted, test/integration-restricted in Restricted Mode). Prints the time of
// each stage and, last, one line `N passed, N failed` with the totals over all three suites. Exits
// non-zero if anything failed. A stage that fails without reporting counts (a build error, a crash,
// a timeout) counts as one failure, so the totals never look green by accident.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, provision, repoRoot } from './provision.mjs';
import { runExtensionTests } from './runCodeServerTests.mjs';

const totals = { passed: 0, failed: 0, pending: 0 };
const timings = [];

/** Runs one stage, records its time; returns false if it threw. */
async function stage(name, body) {
  process.stdout.write(`\n=== ${name}\n`);
  const started = Date.now();
  try {
    await body();
    return true;
  } catch (error) {
    process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    totals.failed += 1;
    return false;
  } finally {
    const seconds = (Date.now() - started) / 1000;
    timings.push([name, seconds]);
    process.stdout.write(`=== ${name}: ${seconds.toFixed(1)} s\n`);
  }
}

function run(argv, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: repoRoot, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
}

function addCounts(counts) {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.pending += counts.pending ?? 0;
}

const resultsDir = join(cacheDir, 'results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const built = await stage('build', async () => {
  const code = await run([process.execPath, 'scripts/build.mjs']);
  if (code !== 0) throw new Error(`scripts/build.mjs exited ${code}`);
  // The extension-host suites are compiled by runExtensionTests itself (buildTests.mjs).
});

await stage('unit tests', async () => {
  const resultsFile = join(resultsDir, 'unit.json');
  const mocha = join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  // .mocharc.json names the spec and tsx; only the reporter changes, to also write counts.
  const code = await run([process.execPath, mocha, '--reporter', './test/runner/countingDotReporter.mjs'], {
    ...process.env,
    PODSCOPE_RESULTS_FILE: resultsFile,
  });
  let counts;
  try {
    counts = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    throw new Error(`mocha exited ${code} without reporting counts`);
  }
  addCounts(counts);
  if (code !== 0 && counts.failed === 0) throw new Error(`mocha exited ${code} with no failed test`);
});

const provisioned =
  built &&
  (await stage('provision VS Code', async () => {
    await provision();
  }));
if (provisioned) {
  // Two windows: the main suite trusted, the Restricted Mode suite in a window nobody trusted.
  for (const [name, options] of [
    ['extension-host tests', {}],
    ['Restricted Mode tests', { restricted: true }],
  ]) {
    await stage(name, async () => {
      const { code, counts } = await runExtensionTests(options);
      if (!counts) throw new Error(`the suite exited ${code} without reporting counts`);
      addCounts(counts);
      if (code !== 0 && counts.failed === 0) throw new Error(`the suite exited ${code} with no failed test`);
    });
  }
} else {
  process.stderr.write(`extension-host suites skipped: ${built ? 'no VS Code' : 'the build failed'}\n`);
}

process.stdout.write('\nTimings:\n');
for (const [name, seconds] of timings) process.stdout.write(`  ${name.padEnd(22)} ${seconds.toFixed(1)} s\n`);
if (totals.pending > 0) process.stdout.write(`${totals.pending} pending\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
// Exit explicitly: a handle left open by a crashed stage (a browser, a socket) must not hang CI.
process.exit(totals.failed > 0 ? 1 : 0);
