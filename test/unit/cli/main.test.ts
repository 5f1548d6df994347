// What `podscope` prints for the command line itself: the version, and a malformed command.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USAGE } from '../../../src/cli/args';
import { main } from '../../../src/cli/main';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd: process.cwd(),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

describe('podscope command line: version and usage errors', () => {
  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    assert.match(version, /^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v'])
      assert.deepEqual(await run([flag]), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('an unknown flag gets one line naming it, then the usage, and exit status 2', async () => {
    const { code, stdout, stderr } = await run(['diagnose', 'k8s', '--colour', 'never']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, `podscope: unknown option --colour\n\n${USAGE}\n`);
  });

  it('a bad value gets its one line without the usage', async () => {
    const { code, stderr } = await run(['diagnose', '--format', 'xml']);
    assert.equal(code, 2);
    assert.equal(stderr, 'podscope: --format must be one of text, json (got "xml")\n');
  });
});
