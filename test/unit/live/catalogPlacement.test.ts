// Every catalog example end to end through the pure layers: the example's objects are the cluster,
// the manifest is the one that defines the failing workload (written out as a user would have it),
// and each finding must land on the exact field it blames, with every fix applying to YAML that
// still parses and holds the new value.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { AnalysisOptions } from '../../../src/analysis/analyze';
import { analyzeCluster } from '../../../src/analysis/analyze';
import type { Finding, FindingCode } from '../../../src/analysis/finding';
import { FINDING_CODES } from '../../../src/analysis/finding';
import type { KubeEvent, KubeObject, Pod } from '../../../src/kube/types';
import type { MemoryClusterView } from '../../../src/kube/memoryClusterView';
import { catalogView, loadExample, objectsOf, viewOf } from '../analysis/findings/catalogView';
import { applyEdits } from '../../../src/manifest/textEdit';
import { podSpecPath, resolvePath } from '../../../src/manifest/fieldPath';
import { objectDocuments, parseManifestFile } from '../../../src/manifest/manifestDocument';
import { placeFindings } from '../../../src/live/placeFindings';

/** A catalog example, or a variant the catalog describes in words (§5.3, §10.2) built from one. */
interface Case {
  name: string;
  view: () => MemoryClusterView;
  /** What a live session adds to the objects (metrics). */
  options?: AnalysisOptions;
}

function withSchedulingMessage(message: string): MemoryClusterView {
  const example = loadExample('17');
  const pod = example.pod as Pod;
  for (const condition of pod.status?.conditions ?? [])
    if (condition.type === 'PodScheduled') condition.message = message;
  for (const event of (example.events ?? []) as KubeEvent[])
    if (event.reason === 'FailedScheduling') event.message = message;
  return viewOf(objectsOf(example));
}

const cases: Case[] = [
  ...readdirSync(join(__dirname, '../../fixtures/catalog'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file, view: () => catalogView(file.slice(0, 2)) })),
  {
    name: '17 with Insufficient cpu (§10.2)',
    view: () =>
      withSchedulingMessage(
        '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 Insufficient cpu.',
      ),
  },
  {
    name: '17 with a custom untolerated taint (§10.2)',
    view: () =>
      withSchedulingMessage(
        '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
      ),
  },
  {
    name: '08 with ErrImageNeverPull (§5.3)',
    view: () => {
      const example = loadExample('08');
      const pod = example.pod as Pod;
      const status = pod.status?.containerStatuses?.[0];
      if (status)
        status.state = {
          waiting: {
            reason: 'ErrImageNeverPull',
            message: `Container image "${pod.spec?.containers[0]?.image ?? ''}" is not present with pull policy of Never`,
          },
        };
      return viewOf([pod]);
    },
  },
  {
    // The readiness example's container (limit 256Mi) at 240Mi, as `kubectl top pod` would show.
    name: '15 with a working set at 240Mi of its 256Mi memory limit (seed 003)',
    view: () => catalogView('15'),
    options: { memoryUsage: (_pod, container) => (container === 'app' ? 240 * 2 ** 20 : undefined) },
  },
];

/** Kinds whose pod spec is at spec.template.spec, spec.jobTemplate.spec.template.spec or spec. */
const TEMPLATE_ROOT: Record<string, string[]> = {
  Pod: ['spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** What a user's manifest for the finding's workload looks like: the live object's spec, or one built around the pod's spec. */
function manifestFor(finding: Finding, view: MemoryClusterView, pod: Pod | undefined): string {
  const ref = finding.workload ?? finding.subject;
  const live = (
    ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Pod'] as const
  )
    .filter((k) => k === ref.kind)
    .map((k) => view.get(k, ref.namespace, ref.name))[0];
  const object: KubeObject = {
    apiVersion: ref.apiVersion || 'v1',
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  };
  const job =
    ref.kind === 'CronJob'
      ? view.list('Job').find((j) => j.metadata?.ownerReferences?.some((o) => o.name === ref.name))
      : undefined;
  // A ReplicaSet's template is a copy of its Deployment's at the time: the manifest that made it.
  const subject =
    finding.subject.kind === 'ReplicaSet'
      ? view.get('ReplicaSet', finding.subject.namespace, finding.subject.name)
      : undefined;
  if (live?.['spec'] && subject?.spec?.template)
    object['spec'] = { ...live['spec'], template: subject.spec.template };
  else if (live?.['spec']) object['spec'] = live['spec'];
  else if (job?.spec) object['spec'] = { jobTemplate: { spec: job.spec } };
  else if (pod?.spec) {
    const path = TEMPLATE_ROOT[ref.kind] ?? ['spec', 'template', 'spec'];
    let cursor: Record<string, unknown> = object;
    for (const key of path.slice(0, -1)) cursor = (cursor[key] ??= {}) as Record<string, unknown>;
    cursor[path.at(-1)!] = pod.spec;
  }
  return `# ${ref.kind} ${ref.name}, as written by its owner\n${stringify(object)}`;
}

const seen = new Set<FindingCode>();
const phases = new Map<FindingCode, Set<string>>();

/** Seed 002: failures before any container exists, in init containers, or while running. */
const EXPECTED_PHASE: Partial<Record<FindingCode, string>> = {
  'configmap-missing': 'Preparation',
  'configmap-key-missing': 'Preparation',
  'secret-missing': 'Preparation',
  'secret-key-missing': 'Preparation',
  'image-not-found': 'Preparation',
  'image-pull-unauthorized': 'Preparation',
  'image-invalid': 'Preparation',
  'insufficient-memory': 'Preparation',
  'node-selector-mismatch': 'Preparation',
  'pvc-unbound': 'Preparation',
  'init-container-failed': 'Initialization',
  'oom-killed': 'Run',
  'memory-near-limit': 'Run',
  'liveness-probe-failed': 'Run',
  'readiness-probe-failed': 'Run',
  evicted: 'Run',
};

for (const { name, view: makeView, options } of cases) {
  describe(`catalog ${name}`, () => {
    const view = makeView();
    const findings = analyzeCluster(view, options).filter((f) => f.code !== 'live-drift');

    it('produces at least one finding', () => assert.ok(findings.length > 0));

    for (const finding of findings) {
      const target = finding.workload ?? finding.subject;
      it(`${finding.code} lands on its blamed field in the ${target.kind} manifest, and its fixes apply`, () => {
        seen.add(finding.code);
        (phases.get(finding.code) ?? phases.set(finding.code, new Set()).get(finding.code)!).add(
          finding.phase ?? '',
        );
        const pod =
          finding.subject.kind === 'Pod'
            ? view.get('Pod', finding.subject.namespace, finding.subject.name)
            : undefined;
        const text = manifestFor(finding, view, pod);
        const manifest = parseManifestFile(text, { fileName: `${target.name}.yaml` });
        const placements = placeFindings([{ file: 'm.yaml', manifest }], [finding], {
          defaultNamespace: 'default',
        });
        assert.equal(placements.length, 1, `not placed on:\n${text}`);
        const [placement] = placements;
        const squiggled = text.slice(placement!.offsets.start, placement!.offsets.end);
        assert.ok(squiggled.trim().length > 0, 'an empty range');
        const [doc] = objectDocuments(manifest);
        const present = finding.blame.paths.find((p) => {
          const absolute =
            finding.blame.root === 'podSpec' ? `${podSpecPath(target.kind) ?? 'spec'}.${p}` : p;
          return resolvePath(doc!, absolute) !== undefined;
        });
        if (present !== undefined || finding.subject.kind === target.kind) {
          // The first blamed field the file has gets the squiggle.
          assert.ok(
            placement!.blamedPath,
            `none of ${finding.blame.paths.join(' | ')} was placed in:\n${text}`,
          );
          assert.ok(
            placement!.blamedPath.endsWith(present ?? '\0'),
            `${placement!.blamedPath} is not ${present}`,
          );
        } else {
          // The file lacks every blamed field (e.g. no serviceAccountName): the contract's "else the
          // template", that is the finding's container entry or the pod spec key.
          const podSpec = podSpecPath(target.kind) ?? 'spec';
          const fallbacks = [
            ...(finding.container
              ? [`${podSpec}.${finding.container.kind}[name=${finding.container.name}]`]
              : []),
            podSpec,
          ].map((path) => resolvePath(doc!, path)?.range);
          assert.ok(
            fallbacks.some((r) => r?.start === placement!.offsets.start && r.end === placement!.offsets.end),
            `fallback range "${squiggled}" is neither the container nor the pod spec`,
          );
        }

        for (const fix of placement!.fixEdits) {
          const fixed = applyEdits(text, fix.edits);
          const reparsed = parseManifestFile(fixed, { fileName: 'fixed.yaml' });
          const docs = objectDocuments(reparsed);
          assert.ok(
            docs.length >= 1 && reparsed.documents.every((d) => d.status === 'object'),
            `"${fix.title}" broke the YAML:\n${fixed}`,
          );
          const changes = finding.fixes.find((f) => f.title === fix.title)?.changes ?? [];
          for (const change of changes.filter((c) => c.op === 'set' && typeof c.value !== 'object')) {
            const absolute =
              change.root === 'podSpec'
                ? `${podSpecPath(target.kind) ?? 'spec'}.${change.path}`
                : change.path;
            const value = resolvePath(docs[0]!, absolute);
            assert.ok(value, `"${fix.title}": ${absolute} missing after the fix:\n${fixed}`);
            assert.equal(
              String(value.node && 'value' in value.node ? value.node.value : ''),
              String((change as { value: unknown }).value),
            );
          }
        }
      });
    }
  });
}

describe('catalog coverage', () => {
  it('the catalog examples and variants exercise every finding code', () => {
    const missing = FINDING_CODES.filter((c) => c !== 'live-drift' && !seen.has(c));
    assert.deepEqual(missing, []);
  });
});

describe('failure phase (seed 002)', () => {
  it('every finding says whether it failed in Preparation, Initialization or Run, as its code implies', () => {
    for (const [code, seenPhases] of phases) {
      for (const phase of seenPhases)
        assert.ok(['Preparation', 'Initialization', 'Run'].includes(phase), `${code}: "${phase}"`);
      const expected = EXPECTED_PHASE[code];
      if (expected) assert.deepEqual([...seenPhases], [expected], code);
    }
    assert.ok(phases.size > 20);
  });
});
