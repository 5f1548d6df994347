// The command registrar: every command Podscope contributes is registered here, once, and
// disposed with the extension. Handlers are wrapped so a failure is logged and shown once.
import * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { DemoClusterHost } from '../services/demoClusterHost';
import type { LiveModelHost } from '../services/liveModelHost';
import type { Log } from '../host/log';
import { windowPrompts } from '../host/prompts';
import { Terminals } from '../host/terminals';
import type { TargetResolver } from '../kube/kubeTarget';
import type { PodscopeViews } from '../tree/podscopeViews';
import { chooseNamespaces } from './chooseNamespaces';
import { clearClustersFilter } from './clearClustersFilter';
import { copyName } from './copyName';
import { podDescribe, podEvents } from './describeDocuments';
import { filterClusters } from './filterClusters';
import type { KubeCommandDeps } from './kubeTargets';
import { openFinding } from './openFinding';
import { podDebug } from './podDebug';
import { podDelete } from './podDelete';
import { podExec } from './podExec';
import { podLogs } from './podLogs';
import { podLogsPrevious } from './podLogsPrevious';
import { podPortForward } from './podPortForward';
import { refreshClusters } from './refreshClusters';
import { retryContext } from './retryContext';
import { revealInClusters } from './revealInClusters';
import { showAllNamespaces } from './showAllNamespaces';
import type { ManifestApplier } from '../services/manifestApplier';
import { applyManifest } from './applyManifest';
import { createConfigMap } from './createConfigMap';
import { showLog } from './showLog';
import { startDemoCluster } from './startDemoCluster';
import { stopDemoCluster } from './stopDemoCluster';
import { switchContext } from './switchContext';
import { switchNamespace } from './switchNamespace';
import { workloadOpenManifest } from './workloadOpenManifest';
import { workloadRestart } from './workloadRestart';
import { workloadTroubleshoot } from './workloadTroubleshoot';

export interface CommandContext {
  log: Log;
  config: Config;
  demo: DemoClusterHost;
  live: LiveModelHost;
  /** Fills a target's context, kubeconfig and containers; the live model's, once it is wired. */
  resolver: TargetResolver;
  views: PodscopeViews;
  applier: ManifestApplier;
}

type Handler = (...args: unknown[]) => unknown;

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const kube: KubeCommandDeps = {
    resolver: ctx.resolver,
    terminals: new Terminals(() => ctx.config.kubectlPath),
    config: ctx.config,
    prompts: windowPrompts,
    isTrusted: () => vscode.workspace.isTrusted,
  };
  const commands: Record<string, Handler> = {
    'podscope.log.show': showLog(ctx.log),
    'podscope.demo.start': startDemoCluster(
      ctx.demo,
      () => ctx.config.demoSpeed,
      () => (ctx.config.kubeconfig ? { path: ctx.config.kubeconfig } : {}),
      ctx.log,
    ),
    'podscope.demo.stop': stopDemoCluster(ctx.demo),
    'podscope.pod.logs': podLogs(kube),
    'podscope.pod.logsPrevious': podLogsPrevious(kube),
    'podscope.pod.exec': podExec(kube),
    'podscope.pod.debug': podDebug(kube),
    'podscope.pod.portForward': podPortForward(kube),
    'podscope.pod.delete': podDelete(kube),
    'podscope.workload.restart': workloadRestart(kube),
    'podscope.name.copy': copyName(kube.prompts),
    'podscope.pod.describe': podDescribe(kube),
    'podscope.pod.events': podEvents(kube),
    'podscope.workload.openManifest': workloadOpenManifest(kube, ctx.log),
    'podscope.workload.troubleshoot': workloadTroubleshoot(kube, ctx.live.model),
    'podscope.clusters.filter': filterClusters(ctx.views),
    'podscope.clusters.clearFilter': clearClustersFilter(ctx.views),
    'podscope.clusters.refresh': refreshClusters(ctx.live, ctx.views),
    'podscope.clusters.showAllNamespaces': showAllNamespaces(ctx.views, true),
    'podscope.clusters.showProblemNamespaces': showAllNamespaces(ctx.views, false),
    'podscope.clusters.chooseNamespaces': chooseNamespaces(ctx.live, ctx.views),
    'podscope.clusters.retry': retryContext(ctx.views),
    'podscope.clusters.reveal': revealInClusters(ctx.views),
    'podscope.findings.open': openFinding(ctx.views, ctx.log),
    'podscope.context.switch': switchContext(ctx.live),
    'podscope.namespace.switch': switchNamespace(ctx.live, ctx.views),
    'podscope.manifest.apply': applyManifest(ctx.applier),
    'podscope.configMap.create': createConfigMap(ctx.applier),
  };
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) =>
      runSafely(ctx.log, id, () => handler(...args)),
    ),
  );
}

async function runSafely(log: Log, id: string, run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    log.error(`${id} failed:`, error instanceof Error ? error : String(error));
    // Not awaited: whoever ran the command (a key, a lens, a test) is done now, not when the
    // notification is dismissed, which may be never.
    void vscode.window
      .showErrorMessage(`Podscope: ${error instanceof Error ? error.message : String(error)}`, 'Show Logs')
      .then((choice) => {
        if (choice === 'Show Logs') log.show(true);
      });
    return undefined;
  }
}
