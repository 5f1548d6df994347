// The Clusters, Restarts and Findings views in a real VS Code against the demo cluster running in
// this extension host: each scenario's row shows the expected health, description and badge
// through the provider's getChildren/getTreeItem and the FileDecorationProvider; a status change
// on the server updates the row (the test waits on onDidChangeTreeData); a missing, broken or
// unreachable kubeconfig shows its message. Kubeconfigs are switched with the podscope.kubeconfig
// setting, as a user would.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DemoCluster } from '../../src/demo/demoCluster';
import { startDemoCluster } from '../../src/demo/demoCluster';
import type { PodscopeApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/model/treeNode';
import { until as untilEvent } from './support/waits';

const EXTENSION_ID = 'podscope.podscope';

let api: PodscopeApi;
let cluster: DemoCluster | undefined;
let work: string;

async function useKubeconfig(path: string | undefined): Promise<void> {
  const reloaded = new Promise<void>((resolve) => {
    const sub = api.views.clustersModel.onDidChange((nodes) => {
      if (nodes) return;
      sub.dispose();
      resolve();
    });
  });
  await vscode.workspace
    .getConfiguration('podscope')
    .update('kubeconfig', path, vscode.ConfigurationTarget.Global);
  await reloaded;
}

/** `probe` again after every change of the views, until it returns a value. */
function until<T>(what: string, probe: () => T | undefined, timeoutMs = 45_000): Promise<T> {
  return untilEvent(
    what,
    probe,
    [api.clusters, api.restarts, api.findings].map((p) => p.onDidChangeTreeData),
    timeoutMs,
  );
}

function labelOf(treeItem: vscode.TreeItem): string {
  return typeof treeItem.label === 'string' ? treeItem.label : (treeItem.label?.label ?? '');
}

function item(node: TreeNode): vscode.TreeItem {
  return api.clusters.getTreeItem(node);
}

/** The node at this label path, if every step is there now. */
function at(path: readonly string[]): TreeNode | undefined {
  let nodes = api.clusters.getChildren();
  let node: TreeNode | undefined;
  for (const label of path) {
    node = nodes.find((n) => item(n).label === label);
    if (!node) throw new Error(`no "${label}" among ${nodes.map((n) => labelOf(item(n))).join(', ')}`);
    nodes = api.clusters.getChildren(node);
  }
  return node;
}

function badge(node: TreeNode): string | undefined {
  const uri = item(node).resourceUri;
  if (!uri) return undefined;
  const decoration = api.views.decorations.provideFileDecoration(uri);
  return decoration?.badge;
}

describe('Clusters view', function () {
  this.timeout(120_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<PodscopeApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    work = mkdtempSync(join(tmpdir(), 'podscope-tree-'));
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('podscope')
      .update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('no kubeconfig: no rows, so the welcome view shows, and the view says why', async () => {
    await useKubeconfig(join(work, 'missing-kubeconfig'));
    const roots = await until('the kubeconfig to be read', () => {
      const nodes = api.clusters.getChildren();
      return nodes.some((n) => item(n).label === 'Loading kubeconfig…') ? undefined : nodes;
    });
    assert.deepEqual(roots, []);
    assert.match(
      api.views.clustersView.message ?? '',
      /^No kubeconfig: no kubeconfig found: .*missing-kubeconfig does not exist$/,
    );
  });

  it('broken kubeconfig: the file and the parse error', async () => {
    const file = join(work, 'broken-kubeconfig');
    writeFileSync(file, 'apiVersion: v1\nclusters:\n- name: x\n  cluster: [\n');
    await useKubeconfig(file);
    const label = await until('the broken-kubeconfig message', () => {
      const text = api.clusters.getChildren().map((n) => labelOf(item(n)));
      return text.find((t) => t.startsWith('Broken kubeconfig'));
    });
    assert.match(
      label,
      new RegExp(
        `^Broken kubeconfig: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a valid kubeconfig \\(YAML error near line \\d+\\)$`,
      ),
    );
  });

  it('unreachable server: the error and a retry', async () => {
    const file = join(work, 'unreachable-kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: gone',
        '  cluster:',
        '    server: https://127.0.0.1:1',
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: u',
        '  user:',
        '    token: t',
        'contexts:',
        '- name: gone',
        '  context:',
        '    cluster: gone',
        '    user: u',
        'current-context: gone',
        '',
      ].join('\n'),
    );
    await useKubeconfig(file);
    const node = await until('the unreachable message', () => {
      const [message] = api.clusters.getChildren(at(['gone']));
      return message && labelOf(item(message)).startsWith('Cannot reach') ? message : undefined;
    });
    const tree = item(node);
    assert.equal(
      tree.label,
      'Cannot reach the cluster: cannot reach the API server (ECONNREFUSED) — click to retry',
    );
    assert.deepEqual(tree.command, {
      command: 'podscope.clusters.retry',
      title: 'Retry',
      arguments: ['gone'],
    });
  });

  describe('against the demo cluster', () => {
    before(async () => {
      cluster = await startDemoCluster({ speed: 10, kubeconfigOut: join(work, 'demo-kubeconfig') });
      await useKubeconfig(cluster.kubeconfigPath);
    });

    const scenarios: {
      path: string[];
      description: RegExp;
      icon: string;
      color: string;
      badge: string | undefined;
      contextValue: RegExp;
    }[] = [
      {
        path: ['Pods', 'missing-cm'],
        description: /^0\/1 · CreateContainerConfigError$/,
        icon: 'gear',
        color: 'charts.red',
        badge: '!',
        contextValue: /^pod:failing$/,
      },
      {
        path: ['Deployments', 'web-frontend'],
        description: /^0\/\d · ImagePullBackOff$/,
        icon: 'cloud-download',
        color: 'charts.red',
        badge: '!',
        contextValue: /^workload:deployment:failing$/,
      },
      {
        path: ['Deployments', 'report-worker'],
        description: /^0\/1 · (CrashLoopBackOff|OOMKilled) · \d+↻$/,
        icon: 'flame',
        color: 'charts.red',
        badge: '!',
        contextValue: /^workload:deployment:failing$/,
      },
      {
        path: ['Deployments', 'apache'],
        description: /^0\/1 · (CrashLoopBackOff|Error) · \d+↻$/,
        icon: 'debug-restart',
        color: 'charts.red',
        badge: '!',
        contextValue: /^workload:deployment:failing$/,
      },
      {
        path: ['Deployments', 'nginx-deployment'],
        description: /^0\/3 · Pending$/,
        icon: 'circle-slash',
        color: 'charts.red',
        badge: '!',
        contextValue: /^workload:deployment:failing$/,
      },
      {
        path: ['Deployments', 'frontend'],
        description: /^\d\/\d$/,
        icon: 'pass',
        color: 'charts.green',
        badge: undefined,
        contextValue: /^workload:deployment:healthy$/,
      },
    ];

    for (const scenario of scenarios) {
      it(`${scenario.path.join(' / ')} shows ${scenario.description.source}`, async () => {
        const path = ['podscope-demo', 'demo', ...scenario.path];
        const node = await until(`${path.join(' / ')} to read ${scenario.description}`, () => {
          const found = at(path);
          // A healthy workload reads 2/2 before its pods pass the readiness grace: wait for the icon too.
          const shown = found && item(found);
          return shown &&
            scenario.description.test(String(shown.description)) &&
            (shown.iconPath as vscode.ThemeIcon).id === scenario.icon
            ? found
            : undefined;
        });
        const tree = item(node);
        const icon = tree.iconPath as vscode.ThemeIcon;
        assert.equal(icon.id, scenario.icon);
        assert.equal(icon.color?.id, scenario.color);
        assert.match(String(tree.contextValue), scenario.contextValue);
        assert.equal(badge(node), scenario.badge);
      });
    }

    it('the demo namespace and the view count the failing workloads', async () => {
      const demo = await until('the demo namespace', () => at(['podscope-demo', 'demo']));
      assert.match(String(item(demo).description), /^home · \d+ failing$/);
      assert.ok(Number(badge(demo)) >= 5, `namespace badge ${badge(demo)}`);
      assert.ok((api.views.clustersView.badge?.value ?? 0) >= 5);
    });

    it('a status change on the server updates the row: missing-cm starts once its ConfigMap exists', async () => {
      const path = ['podscope-demo', 'demo', 'Pods', 'missing-cm'];
      const before = await until('missing-cm', () => at(path));
      cluster?.store.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'key-cm', namespace: 'demo' },
        data: { MY_KEY1: 'First Key', MY_KEY2: 'Second Key' },
      });
      const after = await until('missing-cm to run', () => {
        const found = at(path);
        return found && /^1\/1 · Running/.test(String(item(found).description)) ? found : undefined;
      });
      assert.equal(after, before, 'the same element, so VS Code keeps its expansion');
      assert.equal((item(after).iconPath as vscode.ThemeIcon).id, 'pass');
      assert.equal(badge(after), undefined);
    });

    it('a pod tooltip holds the container state, the last state with the exit code meaning, and the findings', async () => {
      const [pod] = await until('a report-worker pod', () => {
        const workload = at(['podscope-demo', 'demo', 'Deployments', 'report-worker']);
        const pods = workload ? api.clusters.getChildren(workload) : [];
        return pods.length > 0 ? pods : undefined;
      });
      assert.ok(pod);
      const resolved = api.clusters.resolveTreeItem(item(pod), pod);
      const tooltip = resolved.tooltip as vscode.MarkdownString;
      assert.ok(!tooltip.isTrusted, 'cluster text must not run commands');
      assert.match(tooltip.value, /Last state: OOMKilled, exit code 137 \(SIGKILL\)/);
      assert.match(tooltip.value, /Killed by the kernel OOM killer/);
      assert.match(tooltip.value, /`oom-killed`/);
    });

    it('Restarts view: report-worker’s OOM kill, newest first, opening the previous logs', async () => {
      // The history lasts the whole session, so restarts seen on earlier suites' demo clusters
      // (same pod names, their own kubeconfig) may be listed too: this cluster's is the one.
      const ours = (n: Parameters<typeof api.restarts.getTreeItem>[0]): boolean => {
        const item = api.restarts.getTreeItem(n);
        const target = item.command?.arguments?.[0] as { kubeconfig?: string } | undefined;
        return labelOf(item).startsWith('report-worker') && target?.kubeconfig === cluster?.kubeconfigPath;
      };
      const node = await until(
        'a restart of report-worker',
        () => api.restarts.getChildren().find(ours),
        90_000,
      );
      const tree = api.restarts.getTreeItem(node);
      assert.match(String(tree.description), /^OOMKilled · exit 137 SIGKILL · /);
      const pod = labelOf(tree).split(' / ')[0];
      assert.deepEqual(tree.command, {
        command: 'podscope.pod.logsPrevious',
        title: 'Show Previous Logs',
        arguments: [
          {
            context: 'podscope-demo',
            kubeconfig: cluster?.kubeconfigPath,
            namespace: 'demo',
            pod,
            container: 'worker',
          },
        ],
      });
    });

    it('Restarts view: the newest row of a container in back-off is aged as kubectl’s RESTARTS “(… ago)”', async () => {
      // In CrashLoopBackOff the exit kubectl ages is the newest one, and restartCount rises only
      // when the back-off ends: the view must list that exit already, on the cluster's clock.
      const agreed = await until(
        'the newest report-worker restart row and the pod’s RESTARTS age to agree during a back-off',
        () => {
          const workload = at(['podscope-demo', 'demo', 'Deployments', 'report-worker']);
          const [pod] = workload ? api.clusters.getChildren(workload) : [];
          if (!pod) return undefined;
          const tooltip = api.clusters.resolveTreeItem(item(pod), pod).tooltip as vscode.MarkdownString;
          const kubectl = /Status: CrashLoopBackOff, ready [^,]+, restarts \d+ \\\((\S+) ago\\\)/.exec(
            tooltip.value,
          )?.[1];
          const row = api.restarts.getChildren().find((n) => {
            const target = api.restarts.getTreeItem(n).command?.arguments?.[0] as
              { kubeconfig?: string; pod?: string } | undefined;
            return target?.kubeconfig === cluster?.kubeconfigPath && target?.pod === pod.pod;
          });
          const age = row && / · (\S+) ago$/.exec(String(api.restarts.getTreeItem(row).description))?.[1];
          if (kubectl === undefined) throw new Error(`the pod is not in CrashLoopBackOff`);
          if (age !== kubectl)
            throw new Error(`the row says ${age ?? 'nothing'} ago, kubectl ${kubectl} ago`);
          return { kubectl, age };
        },
        90_000,
      );
      assert.equal(agreed.age, agreed.kubectl);
    });

    it('podscope.clusters.reveal selects a workload’s row (what the code lens above its manifest runs)', async () => {
      const shown = await vscode.commands.executeCommand<boolean>('podscope.clusters.reveal', {
        context: 'podscope-demo',
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'demo',
        name: 'report-worker',
      });
      // True only when the walk found the Deployment's row and TreeView.reveal accepted it (the
      // headless workbench does not always report the selection back).
      assert.equal(shown, true);
      const missing = await vscode.commands.executeCommand<boolean>('podscope.clusters.reveal', {
        context: 'podscope-demo',
        kind: 'Deployment',
        namespace: 'demo',
        name: 'not-in-the-cluster',
      });
      assert.equal(missing, false);
    });

    it('status bar and the switch commands: context and namespace', async () => {
      assert.equal(
        await vscode.commands.executeCommand('podscope.context.switch', 'podscope-demo'),
        'podscope-demo',
      );
      const changed = new Promise<void>((resolve) => {
        const sub = api.clusters.onDidChangeTreeData(() => {
          sub.dispose();
          resolve();
        });
      });
      assert.equal(await vscode.commands.executeCommand('podscope.namespace.switch', 'shop'), 'shop');
      await changed;
      const shop = await until('shop as the home namespace', () => {
        const node = at(['podscope-demo', 'shop']);
        return node && String(item(node).description).startsWith('home') ? node : undefined;
      });
      assert.ok(shop);
      await until('the status bar to name shop', () =>
        api.views.statusBar.text === '$(vm-active) podscope-demo · shop' ? true : undefined,
      );
      // Plain words for a screen reader, not the tooltip's escaped Markdown.
      assert.equal(
        api.views.statusBar.accessibilityLabel,
        'Kubernetes context podscope-demo, namespace shop. Switch context.',
      );
      await vscode.commands.executeCommand('podscope.namespace.switch', 'demo');
    });

    it('Findings view: grouped by workload, each finding runs podscope.findings.open', async () => {
      const group = await until('the Findings view to list apache', () =>
        api.findings.getChildren().find((n) => api.findings.getTreeItem(n).label === 'apache'),
      );
      assert.match(
        String(api.findings.getTreeItem(group).description),
        /^Deployment · demo · \d+ findings?$/,
      );
      const [finding] = api.findings.getChildren(group);
      assert.ok(finding);
      const tree = api.findings.getTreeItem(finding);
      assert.equal(tree.command?.command, 'podscope.findings.open');
    });
  });
});
