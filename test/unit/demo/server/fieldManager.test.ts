import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../../../src/kube/types';
import { StatusError } from '../../../../src/demo/apiserver/errors';
import type { ManagedFieldsEntry, Writer } from '../../../../src/demo/apiserver/fieldManager';
import { applyConfiguration, recordUpdate } from '../../../../src/demo/apiserver/fieldManager';
import { FieldSet, pathString } from '../../../../src/demo/apiserver/fieldSet';
import type { Clock } from '../../../../src/demo/clock';
import { MemoryStore } from '../../../../src/demo/memoryStore';
import { applyYaml, parseManifests } from '../../../../src/demo/yamlApply';

const START = Date.parse('2026-01-01T00:00:00Z');
const clock: Clock = { now: () => START, setTimer: () => ({ cancel: () => undefined }) };
const WORKSPACE = join(__dirname, '..', '..', '..', '..', 'demo', 'workspace');
const REPORT_WORKER = readFileSync(join(WORKSPACE, 'report-worker.yaml'), 'utf8');
const MEMORY = '.spec.template.spec.containers[name="worker"].resources.limits.memory';

const writer = (manager: string, minute = 1): Writer => ({
  manager,
  apiVersion: 'apps/v1',
  time: `2026-01-01T00:0${minute}:00Z`,
});

/** report-worker as the demo loads it: client-side `kubectl apply -f`. */
function loaded(): KubeObject {
  const store = new MemoryStore({ clock });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  applyYaml(store, REPORT_WORKER, 'report-worker.yaml', Math.random, () => START);
  return structuredClone(store.get('Deployment', 'demo', 'report-worker')!);
}

const withMemory = (memory: string): KubeObject =>
  parseManifests(REPORT_WORKER.replace('memory: 128Mi', `memory: ${memory}`))[0]!;

const entries = (o: KubeObject): ManagedFieldsEntry[] =>
  o.metadata?.['managedFields'] as ManagedFieldsEntry[];
const entryOf = (o: KubeObject, manager: string): ManagedFieldsEntry | undefined =>
  entries(o).find((e) => e.manager === manager);
const owns = (o: KubeObject, manager: string, field: string): boolean =>
  FieldSet.fromFieldsV1(entryOf(o, manager)?.fieldsV1)
    .paths()
    .some((p) => pathString(p) === field);
const memoryOf = (o: KubeObject): unknown =>
  (o as { spec: { template: { spec: { containers: { resources: { limits: { memory: string } } }[] } } } })
    .spec.template.spec.containers[0]?.resources.limits.memory;

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a 409 Conflict');
}

describe('field ownership (managedFields)', () => {
  it('records the demo scenario loading as client-side kubectl apply: Update, keyed lists, no status or server metadata', () => {
    const live = loaded();
    const [entry, ...rest] = entries(live);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      {
        manager: entry?.manager,
        operation: entry?.operation,
        apiVersion: entry?.apiVersion,
        time: entry?.time,
      },
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2026-01-01T00:00:00Z',
      },
    );
    assert.equal(entry?.fieldsType, 'FieldsV1');
    const container = (
      entry?.fieldsV1['f:spec'] as Record<string, Record<string, Record<string, Record<string, unknown>>>>
    )['f:template']!['f:spec']!['f:containers']!['k:{"name":"worker"}'] as Record<string, unknown>;
    assert.deepEqual(container['.'], {});
    assert.deepEqual(container['f:resources'], {
      'f:limits': { '.': {}, 'f:memory': {} },
      'f:requests': { '.': {}, 'f:memory': {} },
    });
    // Defaults the server filled in belong to the creator too; status and server metadata to nobody.
    assert.ok(
      owns(
        live,
        'kubectl-client-side-apply',
        '.spec.template.spec.containers[name="worker"].imagePullPolicy',
      ),
    );
    assert.ok(
      owns(
        live,
        'kubectl-client-side-apply',
        '.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
      ),
    );
    assert.equal(entry?.fieldsV1['f:status'], undefined);
    assert.deepEqual(Object.keys(entry?.fieldsV1['f:metadata'] as object), ['f:annotations']);
  });

  it("refuses an apply that changes a value another manager owns, with kube-apiserver's 409 body", () => {
    const error = conflictOf(() =>
      applyConfiguration('Deployment', loaded(), withMemory('256Mi'), writer('podscope'), true, false),
    );
    assert.deepEqual(error.toStatus(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: ${MEMORY}`,
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: MEMORY,
          },
        ],
      },
      code: 409,
    });
  });

  it('force takes the field over: the new value, podscope owns it, the other manager keeps the rest', () => {
    const applied = applyConfiguration(
      'Deployment',
      loaded(),
      withMemory('256Mi'),
      writer('podscope'),
      true,
      true,
    );
    assert.equal(memoryOf(applied), '256Mi');
    assert.equal(entries(applied)[0]?.manager, 'podscope', 'Apply entries sort before Update entries');
    assert.equal(entryOf(applied, 'podscope')?.operation, 'Apply');
    assert.ok(owns(applied, 'podscope', MEMORY));
    assert.ok(!owns(applied, 'kubectl-client-side-apply', MEMORY));
    assert.ok(
      owns(applied, 'kubectl-client-side-apply', '.spec.template.spec.containers[name="worker"].image'),
    );
    // Fields applied with their live value are shared, not taken.
    assert.ok(owns(applied, 'podscope', '.spec.template.spec.containers[name="worker"].image'));
  });

  it('an apply that keeps every owned value does not conflict, and the same manager never conflicts with itself', () => {
    const shared = applyConfiguration(
      'Deployment',
      loaded(),
      withMemory('128Mi'),
      writer('podscope'),
      true,
      false,
    );
    assert.equal(memoryOf(shared), '128Mi');
    const forced = applyConfiguration(
      'Deployment',
      loaded(),
      withMemory('256Mi'),
      writer('podscope'),
      true,
      true,
    );
    const again = applyConfiguration(
      'Deployment',
      forced,
      withMemory('512Mi'),
      writer('podscope', 2),
      true,
      false,
    );
    assert.equal(memoryOf(again), '512Mi');
    assert.equal(entryOf(again, 'podscope')?.time, '2026-01-01T00:02:00Z');
  });

  it('an Update takes the fields it changes from their owner, and a later apply conflicts with it by name and version', () => {
    const live = loaded();
    const edited = structuredClone(live) as KubeObject & { spec: { replicas: number } };
    edited.spec.replicas = 3;
    edited.metadata!['managedFields'] = recordUpdate(
      'Deployment',
      live,
      edited,
      writer('kubectl-edit'),
      true,
    );
    assert.ok(owns(edited, 'kubectl-edit', '.spec.replicas'));
    assert.ok(!owns(edited, 'kubectl-client-side-apply', '.spec.replicas'));
    const error = conflictOf(() =>
      applyConfiguration('Deployment', edited, withMemory('128Mi'), writer('podscope'), true, false),
    );
    assert.equal(
      error.message,
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
    );
  });

  it('lists every conflict per manager when there are several', () => {
    const config = withMemory('256Mi') as KubeObject & { spec: { replicas: number } };
    config.spec.replicas = 2;
    const error = conflictOf(() =>
      applyConfiguration('Deployment', loaded(), config, writer('podscope'), true, false),
    );
    assert.equal(
      error.message,
      `Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- ${MEMORY}`,
    );
    assert.deepEqual(
      error.details?.causes?.map((c) => c.field),
      ['.spec.replicas', MEMORY],
    );
  });

  it('a status write owns status only: applying a spec change never conflicts with it', () => {
    const live = loaded();
    const withStatus: KubeObject = { ...live, status: { replicas: 1, readyReplicas: 0 } };
    const status = recordUpdate(
      'Deployment',
      live,
      withStatus,
      { ...writer('kube-controller-manager'), subresource: 'status' },
      true,
    );
    const written: KubeObject = { ...withStatus, metadata: { ...live.metadata, managedFields: status } };
    const entry = entryOf(written, 'kube-controller-manager');
    assert.equal(entry?.subresource, 'status');
    assert.deepEqual(Object.keys(entry?.fieldsV1 ?? {}), ['f:status']);
    const applied = applyConfiguration(
      'Deployment',
      {
        ...written,
        metadata: {
          ...written.metadata,
          managedFields: status.filter((e) => e.manager !== 'kubectl-client-side-apply'),
        },
      },
      withMemory('256Mi'),
      writer('podscope'),
      true,
      false,
    );
    assert.equal(memoryOf(applied), '256Mi');
  });

  it('removes what the manager applied before and no longer applies, unless another manager owns it', () => {
    const config = (env: { name: string; value: string }[]): KubeObject => {
      const c = withMemory('128Mi') as KubeObject & {
        spec: { template: { spec: { containers: { env?: unknown[] }[] } } };
      };
      c.spec.template.spec.containers[0]!.env = env;
      return c;
    };
    const first = applyConfiguration(
      'Deployment',
      loaded(),
      config([
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ]),
      writer('podscope'),
      true,
      false,
    );
    assert.ok(owns(first, 'podscope', '.spec.template.spec.containers[name="worker"].env[name="A"]'));
    const second = applyConfiguration(
      'Deployment',
      first,
      config([{ name: 'B', value: '2' }]),
      writer('podscope', 2),
      true,
      false,
    );
    const env = (second as { spec: { template: { spec: { containers: { env: unknown[] }[] } } } }).spec
      .template.spec.containers[0]!.env;
    assert.deepEqual(env, [{ name: 'B', value: '2' }]);
    // replicas, applied before and left out now, is also client-side apply's: it stays.
    const withoutReplicas = withMemory('128Mi') as KubeObject & { spec: Record<string, unknown> };
    delete withoutReplicas.spec['replicas'];
    const kept = applyConfiguration(
      'Deployment',
      second,
      withoutReplicas,
      writer('podscope', 3),
      true,
      false,
    );
    assert.equal((kept as { spec: { replicas: number } }).spec.replicas, 1);
    assert.ok(!owns(kept, 'podscope', '.spec.replicas'));
  });

  it('an object nobody owns conflicts with "before-first-apply"', () => {
    const live = loaded();
    delete live.metadata!['managedFields'];
    const error = conflictOf(() =>
      applyConfiguration('Deployment', live, withMemory('256Mi'), writer('podscope'), true, false),
    );
    assert.equal(
      error.message,
      `Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: ${MEMORY}`,
    );
  });

  it('kubectl --server-side takes over what client-side apply last applied, and keeps its annotation in step', () => {
    const applied = applyConfiguration(
      'Deployment',
      loaded(),
      withMemory('256Mi'),
      writer('kubectl'),
      true,
      false,
    );
    assert.equal(memoryOf(applied), '256Mi');
    const annotation =
      applied.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '';
    assert.equal(memoryOf(JSON.parse(annotation) as KubeObject), '256Mi');
    // A field changed since (by kubectl edit) is no longer client-side apply's to give.
    const live = loaded() as KubeObject & { spec: { replicas: number } };
    const edited = structuredClone(live);
    edited.spec.replicas = 3;
    edited.metadata!['managedFields'] = recordUpdate(
      'Deployment',
      live,
      edited,
      writer('kubectl-edit'),
      true,
    );
    const config = withMemory('128Mi') as KubeObject & { spec: { replicas: number } };
    config.spec.replicas = 2;
    assert.match(
      conflictOf(() => applyConfiguration('Deployment', edited, config, writer('kubectl'), true, false))
        .message,
      /conflict with "kubectl-edit" using apps\/v1: \.spec\.replicas$/,
    );
  });
});
