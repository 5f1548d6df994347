// Issue 10: cluster text that carries escapes, links, HTML, bidi overrides, NUL bytes or a
// megabyte reaches every surface Podscope writes to inert. Each surface renders the same hostile
// workload (test/hostile/hostileText.ts) once per case.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCluster } from '../../src/analysis/analyze';
import { explainExit } from '../../src/analysis/exitCodes';
import { main } from '../../src/cli/main';
import type { DiagnoseJson } from '../../src/cli/report';
import { findingMarkdown, summaryMarkdown } from '../../src/diagnostics/hoverMarkdown';
import type { KindName } from '../../src/kube/clusterView';
import { KIND_NAMES } from '../../src/kube/clusterView';
import { MemoryClusterView } from '../../src/kube/memoryClusterView';
import type { KubeObject, Pod } from '../../src/kube/types';
import { describeDocumentText, eventsDocumentText } from '../../src/live/liveDocumentText';
import { summarizeObject, summaryLine } from '../../src/live/objectSummary';
import { troubleshootReport } from '../../src/live/troubleshootReport';
import { ClustersTreeModel } from '../../src/tree/model/clustersTreeModel';
import type { TreeNode } from '../../src/tree/model/treeNode';
import type { HostileCase, Surface } from '../hostile/hostileText';
import {
  assertInert,
  HOSTILE_CASES,
  HOSTILE_MANIFEST,
  HOSTILE_NAMESPACE,
  HOSTILE_NOW,
  hostileLogs,
  hostileObjects,
  hostilePodName,
} from '../hostile/hostileText';
import { FakeApiServer } from './cluster/fakeApiServer';
import { FakeLiveModel, FakeSource } from './tree/fakeLive';

const CONTEXT = 'prod';
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: HOSTILE_NAMESPACE, name: 'web' };

function viewOf(objects: readonly KubeObject[]): MemoryClusterView {
  const byKind: Partial<Record<KindName, KubeObject[]>> = {};
  for (const object of objects) {
    const kind = object.kind as KindName;
    if (KIND_NAMES.includes(kind)) (byKind[kind] ??= []).push(object);
  }
  return new MemoryClusterView(
    byKind as ConstructorParameters<typeof MemoryClusterView>[0],
    () => HOSTILE_NOW,
  );
}

/** The hovers a manifest gets: each finding's, and the live summary on the Deployment's name. */
function hover(c: HostileCase): string {
  const view = viewOf(hostileObjects(c));
  const logs = hostileLogs(c);
  const findings = analyzeCluster(view, { logs: () => logs });
  assert.ok(findings.length > 0, 'the crash loop is found');
  const pod = view.get('Pod', HOSTILE_NAMESPACE, hostilePodName(c)) as Pod;
  const terminated = pod.status?.containerStatuses?.[0]?.lastState?.terminated;
  assert.ok(terminated);
  const target = { context: CONTEXT, namespace: HOSTILE_NAMESPACE, pod: hostilePodName(c), container: 'app' };
  const summary = summarizeObject(view, DEPLOYMENT);
  return [
    ...findings.map((finding) => findingMarkdown({ finding, pod: target, exit: explainExit(terminated) })),
    summaryMarkdown(summary, summaryLine(summary, CONTEXT), CONTEXT, target),
  ].join('\n\n---\n\n');
}

function nextChange(model: ClustersTreeModel): Promise<unknown> {
  return new Promise((resolve) => {
    const sub = model.onDidChange((nodes) => {
      sub.dispose();
      resolve(nodes);
    });
  });
}

/** Every row of the Clusters view down to the containers: plain label, description and decoration hover; Markdown tooltip. */
async function tree(c: HostileCase): Promise<{ rows: string; tooltips: string }> {
  const source = new FakeSource(
    { name: CONTEXT, cluster: 'c', user: 'u', namespace: HOSTILE_NAMESPACE, file: '/kubeconfig' },
    () => HOSTILE_NOW,
  );
  source.load(hostileObjects(c));
  const live = new FakeLiveModel([source]);
  const model = new ClustersTreeModel(live, { debounceMs: 0 });
  try {
    const loaded = nextChange(model);
    model.roots();
    await loaded;
    const [context] = model.roots();
    assert.ok(context);
    model.children(context);
    await Promise.resolve();
    const ready = nextChange(model);
    source.finishSync();
    await ready;
    const rows: string[] = [];
    const tooltips: string[] = [];
    let pods = 0;
    const walk = (node: TreeNode): void => {
      if (node.type === 'pod') pods++;
      const { label, description, healthSummary } = node.data;
      rows.push(label, description, healthSummary ?? '');
      tooltips.push(model.tooltip(node) ?? '');
      if (node.data.collapsible) for (const child of model.children(node)) walk(child);
    };
    walk(context);
    assert.equal(pods, 1, 'the walk reached the pod');
    return { rows: rows.join('\n'), tooltips: tooltips.join('\n\n---\n\n') };
  } finally {
    model.dispose();
    live.dispose();
  }
}

function documents(c: HostileCase): string {
  const view = viewOf(hostileObjects(c));
  const pod = hostilePodName(c);
  return [
    describeDocumentText(view, 'Pod', HOSTILE_NAMESPACE, pod),
    describeDocumentText(view, 'Deployment', HOSTILE_NAMESPACE, 'web'),
    eventsDocumentText(view, 'Pod', HOSTILE_NAMESPACE, pod),
    eventsDocumentText(view, 'Deployment', HOSTILE_NAMESPACE, 'web'),
  ].join('\n');
}

function report(c: HostileCase): string {
  const view = viewOf(hostileObjects(c));
  const logs = hostileLogs(c);
  return troubleshootReport({
    view,
    context: CONTEXT,
    kind: 'Deployment',
    namespace: HOSTILE_NAMESPACE,
    name: 'web',
    findings: analyzeCluster(view, { logs: () => logs }),
    logs: new Map([[`${hostilePodName(c)}/app`, logs]]),
  });
}

/** `podscope diagnose` over HTTP against a server that serves the hostile objects and log. */
async function cli(c: HostileCase, format: 'text' | 'json'): Promise<string> {
  const server = new FakeApiServer();
  await server.start();
  try {
    for (const object of hostileObjects(c)) server.put(`${(object.kind ?? '').toLowerCase()}s`, object);
    server.logs.set(`${HOSTILE_NAMESPACE}/${hostilePodName(c)}/app`, `${hostileLogs(c).join('\n')}\n`);
    const dir = mkdtempSync(join(tmpdir(), 'podscope-hostile-'));
    writeFileSync(join(dir, 'web.yaml'), HOSTILE_MANIFEST);
    let stdout = '';
    let stderr = '';
    await main(['diagnose', 'web.yaml', '--kubeconfig', server.writeKubeconfig(), '--format', format], {
      cwd: dir,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    assert.match(stdout, /crash-loop/, stderr);
    if (format === 'text') return stdout + stderr;
    const parsed = JSON.parse(stdout) as DiagnoseJson;
    // What a consumer of the JSON prints is the decoded strings: they must be inert too.
    return [stdout, stderr, ...strings(parsed)].join('\n');
  } finally {
    await server.stop();
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const SURFACES: (Surface & { name: string; render(c: HostileCase): string | Promise<string> })[] = [
  { name: 'hover', markdown: true, maxLength: 200_000, render: hover },
  {
    name: 'Clusters view rows',
    markdown: false,
    maxLength: 20_000,
    render: async (c) => (await tree(c)).rows,
  },
  {
    name: 'Clusters view tooltips',
    markdown: true,
    maxLength: 200_000,
    render: async (c) => (await tree(c)).tooltips,
  },
  { name: 'describe and events documents', markdown: false, maxLength: 4 * 512 * 1024, render: documents },
  { name: 'troubleshoot report', markdown: true, maxLength: 4 * 512 * 1024, render: report },
  { name: 'podscope diagnose (text)', markdown: false, maxLength: 300_000, render: (c) => cli(c, 'text') },
  {
    name: 'podscope diagnose --format json',
    markdown: false,
    maxLength: 900_000,
    render: (c) => cli(c, 'json'),
  },
];

describe('hostile cluster text on every output surface', function () {
  this.timeout(30_000);
  for (const surface of SURFACES) {
    describe(surface.name, () => {
      for (const c of HOSTILE_CASES) {
        it(c.name, async () => {
          assertInert(await surface.render(c), c, surface, surface.name);
        });
      }
    });
  }
});
