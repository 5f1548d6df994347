import type * as vscode from 'vscode';
import { KubeconfigTargetResolver } from './cluster/kubeconfigTargetResolver';
import { registerCommands } from './commands/index';
import { Config } from './host/config';
import { DemoClusterHost } from './services/demoClusterHost';
import { createLog } from './host/log';
import { LiveTargetResolver } from './live/liveTargets';
import { LiveModelHost } from './services/liveModelHost';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = createLog();
  const config = new Config();
  const demo = new DemoClusterHost(context.globalStorageUri, log);
  const live = new LiveModelHost(config, demo, log);
  const scope = new KubeconfigTargetResolver(() => ({
    ...(config.kubeconfig !== undefined ? { path: config.kubeconfig } : {}),
    ...(demo.kubeconfigPath !== undefined ? { extraPaths: [demo.kubeconfigPath] } : {}),
  }));
  const resolver = new LiveTargetResolver(scope, live.model);
  context.subscriptions.push(log, demo, live, ...registerCommands({ log, config, demo, live, resolver }));
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'dev';
  log.info(`Podscope ${version} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
