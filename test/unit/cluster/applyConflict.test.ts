import { strict as assert } from 'node:assert';
import { applyConflictOf } from '../../../src/cluster/applyConflict';
import { fromHttpStatus } from '../../../src/cluster/clusterError';

const MEMORY = '.spec.template.spec.containers[name="worker"].resources.limits.memory';

describe('applyConflictOf: who owns the fields a server-side apply would change', () => {
  it('groups the 409 causes by manager, in the server order', () => {
    const error = fromHttpStatus(409, 'Apply failed with 3 conflicts: …', {
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.replicas',
        },
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: MEMORY,
        },
        { reason: 'FieldManagerConflict', message: 'conflict with "helm"', field: '.metadata.labels.app' },
      ],
    });
    const conflict = applyConflictOf(error);
    assert.deepEqual(conflict.owners, [
      { manager: '"kubectl-client-side-apply" using apps/v1', fields: ['.spec.replicas', MEMORY] },
      { manager: '"helm"', fields: ['.metadata.labels.app'] },
    ]);
    assert.equal(
      conflict.summary,
      `"kubectl-client-side-apply" using apps/v1: .spec.replicas, ${MEMORY}; "helm": .metadata.labels.app`,
    );
  });

  it('strips terminal escapes from manager names and fields, which any client can choose', () => {
    const error = fromHttpStatus(409, 'Apply failed with 1 conflict', {
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "evil\u001b]0;pwned\u0007\u001b[31m"',
          field: '.data.k\u001b[2J',
        },
      ],
    });
    assert.equal(applyConflictOf(error).summary, '"evil": .data.k');
  });

  it('without FieldManagerConflict causes, says what the server said', () => {
    const error = fromHttpStatus(
      409,
      'Operation cannot be fulfilled on deployments.apps "x": the object has been modified',
    );
    assert.deepEqual(applyConflictOf(error).owners, []);
    assert.equal(
      applyConflictOf(error).summary,
      'the API server answered 409: Operation cannot be fulfilled on deployments.apps "x": the object has been modified',
    );
  });
});
