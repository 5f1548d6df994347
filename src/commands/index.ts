// The command registrar: every command Podscope contributes is registered here, once, and
// disposed with the extension. Handlers are wrapped so a failure is logged and shown once.
import * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { DemoClusterHost } from '../services/demoClusterHost';
import type { LiveModelHost } from '../services/liveModelHost';
import type { Log } from '../host/log';
import type { PodscopeViews } from '../tree/podscopeViews';
import { chooseNamespaces } from './chooseNamespaces';
import { clearClustersFilter } from './clearClustersFilter';
import { filterClusters } from './filterClusters';
import { openFinding } from './openFinding';
import { refreshClusters } from './refreshClusters';
import { retryContext } from './retryContext';
import { showAllNamespaces } from './showAllNamespaces';
import { showLog } from './showLog';
import { startDemoCluster } from './startDemoCluster';
import { stopDemoCluster } from './stopDemoCluster';
import { switchContext } from './switchContext';
import { switchNamespace } from './switchNamespace';

export interface CommandContext {
  log: Log;
  config: Config;
  demo: DemoClusterHost;
  live: LiveModelHost;
  views: PodscopeViews;
}

type Handler = (...args: unknown[]) => unknown;

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const commands: Record<string, Handler> = {
    'podscope.log.show': showLog(ctx.log),
    'podscope.demo.start': startDemoCluster(ctx.demo, () => ctx.config.demoSpeed),
    'podscope.demo.stop': stopDemoCluster(ctx.demo),
    'podscope.clusters.filter': filterClusters(ctx.views),
    'podscope.clusters.clearFilter': clearClustersFilter(ctx.views),
    'podscope.clusters.refresh': refreshClusters(ctx.live, ctx.views),
    'podscope.clusters.showAllNamespaces': showAllNamespaces(ctx.views, true),
    'podscope.clusters.showProblemNamespaces': showAllNamespaces(ctx.views, false),
    'podscope.clusters.chooseNamespaces': chooseNamespaces(ctx.live, ctx.views),
    'podscope.clusters.retry': retryContext(ctx.views),
    'podscope.findings.open': openFinding(ctx.views, ctx.log),
    'podscope.context.switch': switchContext(ctx.live),
    'podscope.namespace.switch': switchNamespace(ctx.live, ctx.views),
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
    const choice = await vscode.window.showErrorMessage(
      `Podscope: ${error instanceof Error ? error.message : String(error)}`,
      'Show Logs',
    );
    if (choice === 'Show Logs') log.show(true);
    return undefined;
  }
}
