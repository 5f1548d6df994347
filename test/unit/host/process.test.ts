// host/process.ts runs argv without a shell, streams both outputs, and stops on abort.
import * as assert from 'node:assert/strict';
import { runStreamed } from '../../../src/host/process';

describe('runStreamed', () => {
  it('streams stdout and stderr and resolves with the exit code; no shell reads the arguments', async () => {
    let out = '';
    const script = 'process.stdout.write(process.argv[1]); process.stderr.write("!"); process.exit(3)';
    const code = await runStreamed(process.execPath, ['-e', script, '$(echo hi); rm x'], {
      signal: new AbortController().signal,
      onOutput: (text) => (out += text),
    });
    assert.equal(code, 3);
    // The two streams may arrive in either order; the argument arrives verbatim.
    assert.ok(out === '$(echo hi); rm x!' || out === '!$(echo hi); rm x', out);
  });

  it('kills the process when aborted', async () => {
    const abort = new AbortController();
    const run = runStreamed(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000); process.stdout.write("up")'],
      {
        signal: abort.signal,
        onOutput: () => abort.abort(),
      },
    );
    assert.equal(await run, 'SIGTERM');
  });

  it('rejects when the executable does not exist', async () => {
    await assert.rejects(
      runStreamed('/nonexistent/kubectl', [], {
        signal: new AbortController().signal,
        onOutput: () => undefined,
      }),
      { code: 'ENOENT' },
    );
  });
});
