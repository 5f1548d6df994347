import type * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { registerEditorFeatures } from './diagnostics/registerEditor';
import { Config } from './host/config';
import { DemoClusterHost } from './services/demoClusterHost';
import { createLog } from './host/log';
import { LiveModelHost } from './services/liveModelHost';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = createLog();
  const config = new Config();
  const demo = new DemoClusterHost(context.globalStorageUri, log);
  const live = new LiveModelHost(config, demo, log);
  context.subscriptions.push(log, demo, live, ...registerCommands({ log, config, demo, live }));
  context.subscriptions.push(...registerEditorFeatures(live, config, log));
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'dev';
  log.info(`Podscope ${version} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
