// Entry point of the extension-host suite. VS Code loads the compiled file (given as
// `extensionTestsPath`) inside the extension host and awaits `run()`: resolving means the suite
// passed, rejecting means it failed. The same file serves code-server (test/runner/codeServer.mjs)
// and @vscode/test-electron (test/runner/runElectronTests.mjs), so it knows nothing of its runner.
//
// The counts are reported for machines two ways: a line starting with RESULT_PREFIX in the log, and,
// when PODSCOPE_TEST_RESULTS names a file, that file as JSON.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULT_PREFIX = 'podscope-test-result ';

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // spec writes through console.log, which the extension host forwards to the runner;
    // dot's process.stdout.write is not forwarded.
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.PODSCOPE_TEST_TIMEOUT_MS ?? 20_000),
    grep: process.env.PODSCOPE_TEST_GREP,
  });
  // esbuild writes each test/<suite>/**/*.test.ts beside this file as *.test.js.
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(join(__dirname, file));

  const result = await new Promise<SuiteResult>((resolve) => {
    const runner = mocha.run(() => {
      const stats = runner.stats;
      resolve({ passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, pending: stats?.pending ?? 0 });
    });
  });
  report(result, files.length);
  if (result.failed > 0) throw new Error(`${result.failed} extension-host test(s) failed`);
  if (result.passed === 0) throw new Error(`no extension-host test ran (${files.length} test files found)`);
}

function report(result: SuiteResult, fileCount: number): void {
  const json = JSON.stringify({ ...result, files: fileCount });
  console.log(`${RESULT_PREFIX}${json}`);
  const out = process.env.PODSCOPE_TEST_RESULTS;
  if (out) writeFileSync(out, `${json}\n`);
}
