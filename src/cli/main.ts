// Entry point of the `podscope` command (bin/podscope.js checks the Node version first).
import { ClusterError } from '../cluster/clusterError';
import { version } from '../../package.json';
import { parseCli, USAGE } from './args';
import type { CliIo } from './diagnose';
import { runDiagnose } from './diagnose';
import { UsageError } from './usageError';

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const options = parseCli(argv);
    switch (options.command) {
      case 'help':
        io.stdout(`${USAGE}\n`);
        return 0;
      case 'version':
        // esbuild inlines package.json's version (only that field) into the bundle.
        io.stdout(`${version}\n`);
        return 0;
      case 'diagnose':
        return await runDiagnose(options, io);
      case 'demo': {
        const { runDemo } = await import('./demo');
        return await runDemo(options, io);
      }
    }
  } catch (error) {
    io.stderr(`podscope: ${describe(error)}\n`);
    if (error instanceof UsageError && error.showUsage) io.stderr(`\n${USAGE}\n`);
    return 2;
  }
}

/** One line for the user; only unexpected failures carry their stack, for a bug report. */
function describe(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  if (error instanceof ClusterError) return clusterMessage(error);
  if (!(error instanceof Error)) return String(error);
  return process.env['PODSCOPE_DEBUG']
    ? `internal error: ${error.stack ?? error.message}`
    : `internal error: ${error.message} (set PODSCOPE_DEBUG=1 for details)`;
}

function clusterMessage(error: ClusterError): string {
  switch (error.reason) {
    case 'noKubeconfig':
    case 'badKubeconfig':
      return `${error.detail} (use --kubeconfig FILE, or --snapshot FILE to diagnose saved state)`;
    case 'unreachable':
      return error.detail;
    case 'unauthorized':
      return `the cluster rejected our credentials: ${error.detail}`;
    case 'forbidden':
      return `the cluster forbids reading what diagnose needs: ${error.detail}`;
    case 'timeout':
      return `the cluster did not answer in time: ${error.detail}`;
    default:
      return error.detail;
  }
}

/** Runs with the real process; bin/podscope.js calls this after its Node version check. */
export function runCli(): void {
  void main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runCli();
