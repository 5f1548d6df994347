// Every kubectl terminal starts kubectl from an argv array (STYLE: never sendText), with the
// machine-scoped kubectl path, so neither a workspace nor a pod name can change what runs.
//
// Two kinds, because VS Code disposes a process terminal the moment its process exits (extensions
// cannot ask it to wait): sessions that run until the user stops them (logs -f, exec -it, debug -it,
// port-forward) get a real pty with kubectl as its process; one-shot commands whose output is the
// point (logs --previous, delete, rollout restart) run through host/process.ts into a terminal that
// stays open with kubectl's output and exit status until the user closes it.
import * as vscode from 'vscode';
import { runStreamed } from './process';

export class Terminals {
  /** `kubectlPath` is read per terminal, so a changed setting applies to the next one. */
  constructor(private readonly kubectlPath: () => string) {}

  /** An interactive or long-running kubectl session. */
  open(name: string, argv: readonly string[]): vscode.Terminal {
    const terminal = vscode.window.createTerminal({
      name,
      shellPath: this.kubectlPath(),
      shellArgs: [...argv],
      iconPath: new vscode.ThemeIcon('terminal'),
      // A kubectl session cannot be resumed after a reload; restoring it would rerun the command.
      isTransient: true,
    });
    terminal.show();
    return terminal;
  }

  /** A kubectl command that ends by itself, its output kept on screen after it exits. */
  run(name: string, argv: readonly string[]): vscode.Terminal {
    const terminal = vscode.window.createTerminal({
      name,
      pty: new KubectlRunPty(this.kubectlPath(), argv),
      iconPath: new vscode.ThemeIcon('terminal'),
      isTransient: true,
    });
    terminal.show();
    return terminal;
  }
}

export class KubectlRunPty implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<void>();
  private readonly abort = new AbortController();
  private exited = false;
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.closed.event;

  constructor(
    readonly kubectlPath: string,
    readonly argv: readonly string[],
  ) {}

  open(): void {
    this.write.fire(`\x1b[2m$ kubectl ${this.argv.map(quoteForDisplay).join(' ')}\x1b[0m\r\n`);
    runStreamed(this.kubectlPath, this.argv, {
      signal: this.abort.signal,
      onOutput: (text) => this.write.fire(text.replace(/\r?\n/g, '\r\n')),
    }).then(
      (status) =>
        this.finish(`kubectl exited with ${typeof status === 'number' ? `code ${status}` : status}`),
      (error: unknown) =>
        this.finish(
          `could not start ${this.kubectlPath}: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
  }

  /** After the exit, any key closes the terminal, as VS Code's task terminals do. */
  handleInput(): void {
    if (this.exited) this.closed.fire();
  }

  close(): void {
    this.abort.abort();
    this.write.dispose();
    this.closed.dispose();
  }

  private finish(status: string): void {
    this.exited = true;
    this.write.fire(`\r\n\x1b[2m${status}. Press any key to close.\x1b[0m\r\n`);
  }
}

/** Shows the argv as a person could paste it into a shell; never executed. */
function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
