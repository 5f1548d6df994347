import type * as vscode from 'vscode';
import { KubeconfigTargetResolver } from './cluster/kubeconfigTargetResolver';
import { registerCommands } from './commands/index';
import { Config } from './host/config';
import { DemoClusterHost } from './services/demoClusterHost';
import { createLog } from './host/log';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = createLog();
  const config = new Config();
  const demo = new DemoClusterHost(context.globalStorageUri, log);
  const resolver = new KubeconfigTargetResolver(() => ({ path: config.kubeconfig }));
  context.subscriptions.push(log, demo, ...registerCommands({ log, config, demo, resolver }));
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'dev';
  log.info(`Podscope ${version} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
