// The one log channel. Created in activate, never at module load.
import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Podscope', { log: true });
}
