// Runs the same extension-host suite under @vscode/test-electron (desktop VS Code / Electron).
// That is the usual runner on machines that can download VS Code; these machines cannot (use
// runCodeServerTests.mjs there). With VSCODE_EXECUTABLE set to a VS Code binary, no download is
// attempted. Without it the download is tried with a short timeout and fails with a clear message
// instead of hanging. On a headless Linux host, run it under xvfb-run.
//
//   VSCODE_EXECUTABLE=/opt/VSCode/code node test/runner/runElectronTests.mjs
//
// PODSCOPE_TEST_ENV (a JSON object) is passed to the extension host, as with the code-server runner.
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { buildTests } from './buildTests.mjs';
import { cacheDir, repoRoot } from './provision.mjs';
import { exampleWorkspace } from './runCodeServerTests.mjs';

const DOWNLOAD_IDLE_TIMEOUT_MS = 15_000;
const WATCHDOG_MS = Number(process.env.PODSCOPE_VSCODE_TIMEOUT_MS ?? 300_000);

const executable = process.env.VSCODE_EXECUTABLE;
const testsPath = await buildTests();
const userDataDir = join(cacheDir, 'electron-user-data');
const extensionTestsEnv = process.env.PODSCOPE_TEST_ENV ? JSON.parse(process.env.PODSCOPE_TEST_ENV) : {};

// runTests has no overall time limit; a stuck download or a hung window must not hang CI.
const watchdog = setTimeout(() => {
  process.stderr.write(`[electron] no result within ${WATCHDOG_MS / 1000} s\n`);
  process.exit(1);
}, WATCHDOG_MS);

try {
  const code = await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : { timeout: DOWNLOAD_IDLE_TIMEOUT_MS }),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsPath,
    extensionTestsEnv,
    launchArgs: [
      exampleWorkspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--user-data-dir',
      userDataDir,
    ],
  });
  process.exitCode = code;
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    executable
      ? `[electron] the suite failed under ${executable}: ${reason}\n`
      : `[electron] cannot download VS Code here (${reason}).\n` +
          '[electron] Set VSCODE_EXECUTABLE to a VS Code binary, or use `npm run test:vscode` (code-server).\n',
  );
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
}
