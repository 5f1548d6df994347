import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import type { FieldChange } from '../../../../src/kube/fieldChange';
import type { KubeEvent, KubeObject, Pod, ReplicaSet } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import { catalogView, loadExample, viewOf } from './catalogView';
import type { Expected } from './expectFinding';
import { expectFinding, only } from './expectFinding';

const app = 'containers[name=app]';

/** Example 26 with the ReplicaSet templates a real server would return, and a failing pod of the new one. */
function stuckRolloutWithPods(): MemoryClusterView {
  const example = loadExample('26');
  const related = example.related ?? [];
  for (const rs of related.filter((o) => o.kind === 'ReplicaSet') as ReplicaSet[]) {
    const isNew = rs.metadata?.name === 'checkout-5c7b8d9f4';
    if (rs.metadata?.annotations)
      rs.metadata.annotations['deployment.kubernetes.io/revision'] = isNew ? '7' : '6';
    if (rs.spec?.template)
      rs.spec.template.spec = {
        containers: [{ name: 'app', image: isNew ? 'nginx:1.27.99' : 'nginx:1.27' }],
      };
  }
  const newRs = related.find((o) => o.metadata?.name === 'checkout-5c7b8d9f4');
  const pod = loadExample('08').pod as Pod;
  if (pod.metadata)
    pod.metadata.ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'checkout-5c7b8d9f4',
        uid: newRs?.metadata?.uid ?? '',
        controller: true,
      },
    ];
  return viewOf([...related, pod, ...(loadExample('08').events ?? [])]);
}

/** Example 28 holds five ReplicaSet+Event pairs under one name: one view per pair. */
function failedCreate(index: number, extra: KubeObject[] = []): MemoryClusterView {
  const items = loadExample('28').items ?? [];
  const sets = items.filter((o) => o.kind === 'ReplicaSet');
  const events = items.filter((o) => o.kind === 'Event');
  const deployment = items.filter((o) => o.kind === 'Deployment');
  return viewOf([...deployment, sets[index] as KubeObject, events[index] as KubeObject, ...extra]);
}

const cases: { name: string; view: () => MemoryClusterView; expected: Expected }[] = [
  {
    name: '26 ProgressDeadlineExceeded without pods in the view: blame the template',
    view: () => catalogView('26'),
    expected: {
      code: 'rollout-stuck',
      subject: 'Deployment/checkout',
      workload: 'Deployment/checkout',
      root: 'object',
      paths: ['spec.template', 'spec.progressDeadlineSeconds'],
      evidence: ['ReplicaSet "checkout-5c7b8d9f4" has timed out progressing.', 'unavailable 2'],
      noFix: true,
    },
  },
  {
    name: '26 with the new pods failing: blame their field, roll back the image',
    view: stuckRolloutWithPods,
    expected: {
      code: 'rollout-stuck',
      root: 'podSpec',
      paths: [`${app}.image`],
      message: ['image-not-found'],
      evidence: ['pod checkout-6d8f7b9c5-f4c80: image-not-found'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.image`, value: 'nginx:1.27' }],
    },
  },
  {
    name: '28 quota exceeded: a limit that fits the quota',
    view: () => failedCreate(0),
    expected: {
      code: 'pod-create-forbidden',
      subject: 'ReplicaSet/checkout-6d8f7b9c5',
      workload: 'Deployment/checkout',
      paths: [`${app}.resources.limits.memory`, `${app}.resources`],
      evidence: [
        'exceeded quota: compute-quota, requested: limits.memory=512Mi, used: limits.memory=3840Mi, limited: limits.memory=4Gi',
      ],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.resources.limits.memory`, value: '256Mi' }],
    },
  },
  {
    name: '28 quota requires limits',
    view: () => failedCreate(1),
    expected: {
      code: 'pod-create-forbidden',
      paths: [`${app}.resources.limits.cpu`, `${app}.resources.limits.memory`],
      evidence: ['must specify limits.cpu for: app; limits.memory for: app'],
      noFix: true,
    },
  },
  {
    name: '28 ServiceAccount missing',
    view: () => failedCreate(2),
    expected: {
      code: 'pod-create-forbidden',
      paths: ['serviceAccountName'],
      evidence: ['serviceaccount "checkout-sa" not found'],
      fix: [{ op: 'remove', root: 'podSpec', path: 'serviceAccountName' }],
    },
  },
  {
    name: '28 PriorityClass missing: the existing one with the nearest name',
    view: () =>
      failedCreate(3, [
        {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'business-critical' },
          value: 100000,
        },
      ]),
    expected: {
      code: 'pod-create-forbidden',
      paths: ['priorityClassName'],
      evidence: ['no PriorityClass with name business-critcal was found'],
      fix: [{ op: 'set', root: 'podSpec', path: 'priorityClassName', value: 'business-critical' }],
    },
  },
  {
    name: '28 PodSecurity restricted: every clause becomes a field and a change',
    view: () => failedCreate(4),
    expected: {
      code: 'pod-create-forbidden',
      paths: [
        `${app}.securityContext.allowPrivilegeEscalation`,
        `${app}.securityContext.capabilities.drop`,
        `${app}.securityContext.runAsNonRoot`,
        `${app}.securityContext.seccompProfile.type`,
      ],
      evidence: ['violates PodSecurity "restricted:latest"'],
      fix: [
        { op: 'set', root: 'podSpec', path: `${app}.securityContext.allowPrivilegeEscalation`, value: false },
        { op: 'set', root: 'podSpec', path: `${app}.securityContext.capabilities.drop`, value: ['ALL'] },
        { op: 'set', root: 'podSpec', path: `${app}.securityContext.runAsNonRoot`, value: true },
        {
          op: 'set',
          root: 'podSpec',
          path: `${app}.securityContext.seccompProfile.type`,
          value: 'RuntimeDefault',
        },
      ] satisfies FieldChange[],
    },
  },
  {
    name: '29 Job BackoffLimitExceeded under a CronJob',
    view: () => catalogView('29'),
    expected: {
      code: 'job-backoff-exceeded',
      subject: 'Job/nightly-report-29150400',
      workload: 'CronJob/nightly-report',
      root: 'object',
      paths: ['spec.jobTemplate.spec.backoffLimit', 'spec.jobTemplate.spec'],
      evidence: [
        'Failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
        'pod nightly-report-29150400-q7x2k: crash-loop',
      ],
      fix: [{ op: 'set', root: 'object', path: 'spec.jobTemplate.spec.backoffLimit', value: 6 }],
    },
  },
];

describe('workload findings (catalog §17, §19, §20)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectFinding(analyzeCluster(c.view()), c.expected);
    });
  }

  it('29: the failed Job pod keeps its own crash-loop finding, placed in the CronJob', () => {
    const crash = only(analyzeCluster(catalogView('29')), 'crash-loop');
    assert.equal(`${crash.workload?.kind ?? ''}/${crash.workload?.name ?? ''}`, 'CronJob/nightly-report');
    assert.ok(crash.evidence.some((e) => e.includes('exit code 2')));
  });

  it('a Job whose pods are refused reports pod-create-forbidden on the Job', () => {
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop', uid: 'j1' },
      spec: { template: { spec: { containers: [{ name: 'migrate' }] } } },
    };
    const event: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'migrate.1', namespace: 'shop' },
      involvedObject: { kind: 'Job', name: 'migrate', namespace: 'shop' },
      reason: 'FailedCreate',
      type: 'Warning',
      message:
        'Error creating: pods "migrate-" is forbidden: error looking up service account shop/migrator: serviceaccount "migrator" not found',
    };
    expectFinding(analyzeCluster(viewOf([job, event])), {
      code: 'pod-create-forbidden',
      subject: 'Job/migrate',
      workload: 'Job/migrate',
      paths: ['serviceAccountName'],
    });
    job.status = { active: 1 };
    assert.deepEqual(
      analyzeCluster(viewOf([job, event])),
      [],
      'a Job with a running pod got past the FailedCreate',
    );
  });
});
