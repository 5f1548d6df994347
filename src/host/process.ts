// The one place the extension starts a process: argv arrays only (no shell), stopped through an
// AbortSignal. Output is streamed to the caller, which decides where a person sees it.
import { spawn } from 'node:child_process';

export interface StreamedRun {
  signal: AbortSignal;
  onOutput: (text: string) => void;
}

/** Exit code, or the signal's name when it was killed; rejects only when it could not start. */
export function runStreamed(
  file: string,
  argv: readonly string[],
  run: StreamedRun,
): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...argv], { signal: run.signal, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', run.onOutput);
    child.stderr.setEncoding('utf8').on('data', run.onOutput);
    child.once('error', (error: NodeJS.ErrnoException) => {
      // An abort also arrives here; the 'close' that follows reports how it ended.
      if (error.name !== 'AbortError') reject(error);
    });
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
}
