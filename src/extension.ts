import type * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { createLog } from './host/log';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = createLog();
  context.subscriptions.push(log);
  context.subscriptions.push(...registerCommands({ log }));
  const { version } = context.extension.packageJSON as { version: string };
  log.info(`Podscope ${version} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
