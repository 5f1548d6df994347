// Every kubectl terminal starts kubectl itself from an argv array (STYLE: never sendText), with the
// machine-scoped kubectl path, so neither a workspace nor a pod name can change what runs.
import * as vscode from 'vscode';

export class Terminals {
  /** `kubectlPath` is read per terminal, so a changed setting applies to the next one. */
  constructor(private readonly kubectlPath: () => string) {}

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
}
