import type * as vscode from 'vscode';
import { KubeconfigTargetResolver } from './cluster/kubeconfigTargetResolver';
import { registerCommands } from './commands/index';
import { registerEditorFeatures } from './diagnostics/registerEditor';
import { Config } from './host/config';
import { DemoClusterHost } from './services/demoClusterHost';
import { createLog } from './host/log';
import { LiveDocumentProvider } from './documents/liveDocumentProvider';
import { LiveTargetResolver } from './live/liveTargets';
import { LiveModelHost } from './services/liveModelHost';
import { PodscopeViews } from './tree/podscopeViews';
import type { NodeTreeDataProvider } from './tree/nodeTreeDataProvider';
import { ManifestApplier } from './services/manifestApplier';
import { NamespaceInterest } from './services/namespaceInterest';
import { registerApplyCodeLens } from './diagnostics/applyCodeLensProvider';

/** What activate returns: the views' providers, for extension-host tests and other extensions. */
export interface PodscopeApi {
  clusters: NodeTreeDataProvider;
  restarts: NodeTreeDataProvider;
  findings: NodeTreeDataProvider;
  views: PodscopeViews;
  /** The live-state line above each object in a manifest editor. */
  codeLenses: vscode.CodeLensProvider;
}

export function activate(context: vscode.ExtensionContext): PodscopeApi {
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
  const views = new PodscopeViews(live, log);
  const applier = new ManifestApplier(live.model, config, log);
  context.subscriptions.push(
    log,
    demo,
    live,
    views,
    applier,
    new LiveDocumentProvider(live.model, log),
    ...registerCommands({ log, config, demo, live, resolver, views, applier }),
    registerApplyCodeLens(live.model, config, log),
    new NamespaceInterest(live.model, log),
  );
  const editor = registerEditorFeatures(live, config, log);
  context.subscriptions.push(...editor.registrations);
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'dev';
  log.info(`Podscope ${version} activated in ${(performance.now() - started).toFixed(1)} ms`);
  return {
    clusters: views.clusters,
    restarts: views.restarts,
    findings: views.findings,
    views,
    codeLenses: editor.lenses,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
