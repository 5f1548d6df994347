// Waiting in extension-host tests: on VS Code's own events, with a timer that is only the deadline.
// A test never sleeps to let something happen.
import * as vscode from 'vscode';

/**
 * Evaluates `probe` now and after each of `events` until it returns a value. A probe may throw to
 * say what is missing; the last such message ends up in the timeout error.
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined,
  events: readonly vscode.Event<unknown>[],
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, remaining);
      const subscriptions = events.map((event) => event(done));
      function done(): void {
        clearTimeout(timer);
        for (const s of subscriptions) s.dispose();
        resolve();
      }
    });
  }
}

/** The file's diagnostics once `accept` holds for them; waits on onDidChangeDiagnostics. */
export function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<readonly vscode.Diagnostic[]> {
  const describe = (): string =>
    vscode.languages
      .getDiagnostics(uri)
      .map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character} ${d.message}`)
      .join('; ') || 'none';
  return until(
    `${what} in ${uri.fsPath}`,
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (accept(diagnostics)) return diagnostics;
      throw new Error(`have: ${describe()}`);
    },
    [
      (listener) =>
        vscode.languages.onDidChangeDiagnostics((e) => {
          if (e.uris.some((u) => u.toString() === uri.toString())) listener(e);
        }),
    ],
    timeoutMs,
  );
}

/** A diagnostic's code as a string ('' when it has none). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Podscope's diagnostics, of one code when given. */
export function ours(diagnostics: readonly vscode.Diagnostic[], code?: string): vscode.Diagnostic[] {
  return diagnostics.filter((d) => d.source === 'podscope' && (code === undefined || codeOf(d) === code));
}

/**
 * The next terminal VS Code opens after `start` runs. `onOpen` runs in the onDidOpenTerminal
 * listener, which VS Code calls before a Pseudoterminal's open(): nothing it writes is missed.
 */
export function nextTerminal(
  start: () => Thenable<unknown>,
  onOpen?: (terminal: vscode.Terminal) => void,
): Promise<vscode.Terminal> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('no terminal opened within 10 s'));
    }, 10_000);
    const sub = vscode.window.onDidOpenTerminal((terminal) => {
      clearTimeout(timer);
      sub.dispose();
      onOpen?.(terminal);
      resolve(terminal);
    });
    Promise.resolve(start()).then(undefined, (error: unknown) => {
      clearTimeout(timer);
      sub.dispose();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}
