// The Clusters view's figures (issue 9), driven through the tree's vscode-free model
// (src/tree/model/) exactly as the TreeDataProvider drives it, against demo clusters in child
// processes:
//   tree_first_cluster_row   LiveModel + ClustersTreeModel created → roots() answers with the
//                            context row (kubeconfig read, client-node loaded cold: this runs first)
//   tree_expand_50_pods      a namespace of the 10,000-pod cluster expanded with everything under
//                            it built: kind groups, workloads, pods (rows with description, icon,
//                            contextValue, badge); the namespace's cache dropped before each run
//   tree_expand_5000_pods    the same for one namespace holding 5,000 pods (a second demo)
//   tree_processes_started   child processes started while every node of the 10,000-pod tree is
//                            expanded and every pod's tooltip built
// Expansions are timed while a churn loop patches pod statuses in the measured namespace (watch
// events, re-analysis and tree refreshes run on the same event loop); the figure is the median of
// the runs, the maximum is reported beside it.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ClusterManager } from '../src/cluster/clusterManager';
import { LiveModel } from '../src/live/liveModel';
import { ClustersTreeModel } from '../src/tree/model/clustersTreeModel';
import type { TreeNode } from '../src/tree/model/treeNode';
import { patchPodStatus } from './benchClient';

export interface TreeFigure {
  name: string;
  value: number;
  unit: string;
  target?: number;
}

const RUNS = Number(process.env['PODSCOPE_BENCH_TREE_RUNS'] ?? 15);

/** tree_first_cluster_row: run before anything else loads client-node, so the load is counted. */
export async function measureFirstClusterRow(kubeconfig: string): Promise<TreeFigure> {
  const started = performance.now();
  const model = new LiveModel(new ClusterManager({ source: () => ({ path: kubeconfig }) }));
  const tree = new ClustersTreeModel(model);
  try {
    const changed = new Promise<void>((resolve) => tree.onDidChange(() => resolve()));
    tree.roots(); // the "Loading kubeconfig…" row, while the kubeconfig is read
    await changed;
    const [row] = tree.roots();
    if (row?.type !== 'context')
      throw new Error(`first row is ${row?.data.label ?? 'missing'}, not a context`);
    return {
      name: 'tree_first_cluster_row',
      value: round(performance.now() - started),
      unit: 'ms',
      target: 370,
    };
  } finally {
    tree.dispose();
    model.dispose();
  }
}

/** The expand and process figures; `startDemo` launches another demo with the given extra flags. */
export async function measureTree(
  kubeconfig: string,
  startDemo: (kubeconfigOut: string, flags: string[]) => Promise<ChildProcess>,
  work: string,
): Promise<TreeFigure[]> {
  const figures: TreeFigure[] = [];
  {
    const opened = await openTree(kubeconfig, 'bench-000');
    try {
      figures.push(...(await measureExpand(opened, kubeconfig, 'bench-000', 50, 'tree_expand_50_pods', 37)));
      figures.push(countProcesses(opened));
    } finally {
      opened.dispose();
    }
  }
  const bigConfig = join(work, 'kubeconfig-5000');
  const big = await startDemo(bigConfig, ['--pods', '5000', '--pods-per-namespace', '5000']);
  try {
    const opened = await openTree(bigConfig, 'bench-000');
    try {
      figures.push(
        ...(await measureExpand(opened, bigConfig, 'bench-000', 5000, 'tree_expand_5000_pods', 200)),
      );
    } finally {
      opened.dispose();
    }
  } finally {
    big.kill('SIGTERM');
  }
  return figures;
}

interface OpenTree {
  tree: ClustersTreeModel;
  context: TreeNode;
  dispose(): void;
}

/** A tree whose first context is open, synced and shown with every namespace. */
async function openTree(kubeconfig: string, namespace: string): Promise<OpenTree> {
  const model = new LiveModel(new ClusterManager({ source: () => ({ path: kubeconfig }) }));
  const tree = new ClustersTreeModel(model, { debounceMs: 100 });
  const dispose = (): void => {
    tree.dispose();
    model.dispose();
  };
  try {
    const changed = new Promise<void>((resolve) => {
      const sub = tree.onDidChange(() => {
        sub.dispose();
        resolve();
      });
    });
    tree.roots();
    await changed;
    const [context] = tree.roots();
    if (!context) throw new Error('no context row');
    tree.children(context); // starts opening, as expanding the row in VS Code does
    const live = await model.open(context.data.label);
    await live.whenReady(300_000);
    tree.chooseNamespaces(context.data.label, [namespace]);
    tree.flush();
    return { tree, context, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** Expands the namespace and everything under it; returns the number of pod rows built. */
function expandNamespace(tree: ClustersTreeModel, context: TreeNode): number {
  let pods = 0;
  const visit = (node: TreeNode): void => {
    for (const child of tree.children(node)) {
      if (child.type === 'pod') pods++;
      else if (child.data.collapsible) visit(child);
    }
  };
  const [namespace] = tree.children(context).filter((n) => n.type === 'namespace');
  if (!namespace) throw new Error('the namespace is not shown');
  visit(namespace);
  return pods;
}

async function measureExpand(
  opened: OpenTree,
  kubeconfig: string,
  namespace: string,
  expected: number,
  name: string,
  target: number,
): Promise<TreeFigure[]> {
  const { tree, context } = opened;
  const live = tree.contextInfos()[0]?.name ?? '';
  const pods = tree.namespacesOf(live).includes(namespace) ? podNames(opened, namespace) : [];
  if (pods.length < expected) throw new Error(`${namespace} holds ${pods.length} pods, expected ${expected}`);
  // Churn: flip pods between healthy and OOMKilled as fast as the API server takes it.
  let churning = true;
  let patches = 0;
  const churn = (async () => {
    for (let i = 0; churning; i++) {
      await patchPodStatus(kubeconfig, namespace, pods[i % pods.length] ?? '', i % 2 === 0);
      patches++;
    }
  })();
  const times: number[] = [];
  const churnStarted = performance.now();
  try {
    for (let run = 0; run < RUNS; run++) {
      // Let watch events and the tree's refresh run between expansions, as they would in VS Code.
      await new Promise((resolve) => setTimeout(resolve, 20));
      tree.chooseNamespaces(live, [namespace]); // drops every namespace cache: a cold expansion
      const started = performance.now();
      const built = expandNamespace(tree, context);
      times.push(performance.now() - started);
      if (built !== expected) throw new Error(`expanded ${built} pods, expected ${expected}`);
    }
  } finally {
    churning = false;
    await churn;
  }
  const seconds = (performance.now() - churnStarted) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  return [
    { name, value: round(sorted[Math.floor(sorted.length / 2)] ?? NaN, 1), unit: 'ms', target },
    { name: `${name}_max`, value: round(sorted[sorted.length - 1] ?? NaN, 1), unit: 'ms' },
    { name: `${name}_churn`, value: round(patches / seconds), unit: 'status patches/s' },
  ];
}

function podNames(opened: OpenTree, namespace: string): string[] {
  const names: string[] = [];
  const visit = (node: TreeNode): void => {
    for (const child of opened.tree.children(node)) {
      if (child.type === 'pod') names.push(child.data.label);
      else if (child.data.collapsible && child.type !== 'container') visit(child);
    }
  };
  const ns = opened.tree
    .children(opened.context)
    .find((n) => n.type === 'namespace' && n.data.label === namespace);
  if (ns) visit(ns);
  return names;
}

/** Browses every node of every namespace, tooltips included, counting child processes started. */
function countProcesses(opened: OpenTree): TreeFigure {
  const { tree, context } = opened;
  // The module object itself (not an ES namespace copy), so every caller sees the counting wrappers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const patched = require('node:child_process') as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  let started = 0;
  for (const key of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
    const original = patched[key] as (...args: unknown[]) => unknown;
    originals.set(key, original);
    patched[key] = (...args: unknown[]): unknown => {
      started++;
      return original(...args);
    };
  }
  try {
    tree.setShowAllNamespaces(true);
    const visit = (node: TreeNode): void => {
      for (const child of tree.children(node)) {
        if (child.type === 'pod' || child.type === 'workload') tree.tooltip(child);
        if (child.data.collapsible) visit(child);
      }
    };
    visit(context);
  } finally {
    for (const [key, original] of originals) patched[key] = original;
  }
  return { name: 'tree_processes_started', value: started, unit: 'count', target: 0 };
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
