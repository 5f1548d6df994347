// `npm run demo`: the embedded demo cluster, plus a real VS Code (code-server) with Podscope
// installed from the .vsix that `npm run package` built, the demo workspace open and KUBECONFIG
// pointing at the demo cluster. Prints the URL to open; Ctrl+C stops everything.
// Installed rather than in development mode: development mode here needs VS Code's smoke-test
// driver, which hides every notification toast (a failing command would look silent).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { codeServerCli, startCodeServer, workbenchUrl } from '../test/runner/codeServer.mjs';

const repo = resolve(import.meta.dirname, '..');
const speed = process.env.PODSCOPE_DEMO_SPEED ?? '10';
const kubeconfig = join(mkdtempSync(join(tmpdir(), 'podscope-demo-')), 'kubeconfig');

const cluster = spawn(
  process.execPath,
  [join(repo, 'bin', 'podscope.js'), 'demo', '--speed', speed, '--kubeconfig-out', kubeconfig],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const ready = await new Promise((resolveReady, reject) => {
  let out = '';
  cluster.stdout.on('data', (chunk) => {
    out += chunk;
    const line = out.split('\n').find((l) => l.startsWith('ready '));
    if (line) resolveReady(line);
  });
  cluster.on('exit', (code) => reject(new Error(`the demo cluster exited (${code}) before it was ready`)));
});
process.stdout.write(`demo cluster: ${ready.slice('ready '.length)}\n`);

const server = await startCodeServer({ env: { KUBECONFIG: kubeconfig }, testDriver: false });
await codeServerCli(server, ['--install-extension', join(repo, 'podscope.vsix')]);
const url = workbenchUrl(server, { folder: join(repo, 'demo', 'workspace') });
process.stdout.write(`\nOpen VS Code with Podscope and the demo workspace:\n\n  ${url}\n\n`);
process.stdout.write(
  `kubectl works too:  KUBECONFIG=${kubeconfig} kubectl get pods -n demo\nCtrl+C stops both.\n`,
);

const stop = async () => {
  cluster.kill('SIGTERM');
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
