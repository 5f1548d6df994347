import { strict as assert } from 'node:assert';
import { resolvePath } from '../../../../src/demo/apiserver/urls';

describe('request paths', () => {
  const summary = (path: string): string => {
    const t = resolvePath(path);
    if (t.type !== 'resource') return t.type;
    return [
      t.resource.group || 'core',
      t.resource.resource,
      t.namespace ?? '-',
      t.name ?? '-',
      t.subresource ?? '-',
      t.legacyWatch ? 'watch' : '',
    ]
      .join(' ')
      .trim();
  };
  const cases: [string, string][] = [
    ['/version', 'version'],
    ['/api', 'discoveryLegacy'],
    ['/apis', 'discoveryGroups'],
    ['/apis/apps', 'discoveryGroup'],
    ['/api/v1', 'discoveryResources'],
    ['/openapi/v3/apis/apps/v1', 'openapiV3Doc'],
    ['/api/v1/pods', 'core pods - - -'],
    ['/api/v1/namespaces/demo/pods/web-1/log', 'core pods demo web-1 log'],
    ['/api/v1/namespaces/demo', 'core namespaces - demo -'],
    ['/api/v1/namespaces/demo/status', 'core namespaces - demo status'],
    ['/apis/apps/v1/namespaces/shop/deployments/web/scale', 'apps deployments shop web scale'],
    ['/api/v1/watch/namespaces/demo/pods', 'core pods demo - - watch'],
    ['/api/v1/namespaces/demo/nodes', 'unknown'],
    ['/api/v1/namespaces/demo/pods/x/nonsense', 'unknown'],
    ['/api/v2/pods', 'unknown'],
    ['/api/v1/namespaces/%E0%A4%A/pods', 'unknown'],
  ];
  for (const [path, expected] of cases)
    it(`${path} → ${expected}`, () => assert.equal(summary(path), expected));
});
