// Checks the packaged extension as a user gets it: installs podscope.vsix into a fresh code-server
// (`--install-extension`), opens the example workspace (no development mode), and waits until the
// installed Podscope writes its activation line to its "Podscope" log channel. Prints the sizes of
// the .vsix and of dist/extension.js and the activation time that the extension logged.
//
//   npm run package && node test/runner/checkVsix.mjs [path/to/podscope.vsix]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codeServerCli, openWorkbench, startCodeServer, tail } from './codeServer.mjs';
import { repoRoot } from './provision.mjs';
import { exampleWorkspace } from './runCodeServerTests.mjs';

const ACTIVATION_TIMEOUT_MS = 60_000;
const ACTIVATED = /Podscope (\S+) activated in ([\d.]+) ms/;

const vsix = resolve(process.argv[2] ?? join(repoRoot, 'podscope.vsix'));
const kb = (file) => `${(statSync(file).size / 1024).toFixed(1)} KB`;
const log = (message) => process.stdout.write(`[vsix] ${message}\n`);

/** The Podscope output-channel log files under code-server's logs folder. */
function podscopeLogs(logsDir) {
  try {
    return readdirSync(logsDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('Podscope.log'))
      .map((file) => join(logsDir, file));
  } catch {
    return []; // the logs folder appears once code-server has started a window
  }
}

/** Waits until a Podscope log holds the activation line; checks whenever asked, up to a deadline. */
async function waitForActivation(logsDir) {
  const deadline = Date.now() + ACTIVATION_TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const file of podscopeLogs(logsDir)) {
      const match = ACTIVATED.exec(readFileSync(file, 'utf8'));
      if (match) return { file, version: match[1], ms: Number(match[2]) };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `no "activated" line in a Podscope log under ${logsDir} within ${ACTIVATION_TIMEOUT_MS / 1000} s`,
  );
}

const server = await startCodeServer();
let ok = false;
let workbench;
try {
  log(`${vsix}: ${kb(vsix)}; dist/extension.js: ${kb(join(repoRoot, 'dist', 'extension.js'))}`);
  const output = await codeServerCli(server, ['--install-extension', vsix]);
  log(output.trim().split('\n').at(-1) ?? '');
  const installed = readdirSync(server.extensionsDir).filter((name) => name.startsWith('podscope.podscope-'));
  if (installed.length !== 1)
    throw new Error(`expected one podscope.podscope-* in extensions dir, found ${installed}`);

  // The running server lists extensions when a window connects, so the install above is seen.
  workbench = await openWorkbench(server, { folder: exampleWorkspace });
  const activation = await waitForActivation(join(server.userDataDir, 'logs'));
  log(`installed ${installed[0]} activated in ${activation.ms} ms (${activation.file})`);
  ok = true;
} catch (error) {
  process.stderr.write(
    `[vsix] ${error instanceof Error ? error.message : String(error)}\n${tail(server.logFile)}\n`,
  );
  process.exitCode = 1;
} finally {
  await workbench?.close();
  await server.stop({ keepRunDir: !ok });
}
process.exit();
