import { strict as assert } from 'node:assert';
import type { Blame } from '../../../src/kube/fieldChange';
import {
  formatFieldPath,
  parseFieldPath,
  podSpecPath,
  resolveBlame,
  resolvePath,
} from '../../../src/manifest/fieldPath';
import { docOf, fixture, show } from './fixtures';

describe('fieldPath', () => {
  describe('parseFieldPath', () => {
    const cases: [string, string | undefined][] = [
      ['', '[]'],
      ['spec', '[{"type":"key","key":"spec"}]'],
      [
        'a.b[name=app].c[0]',
        '[{"type":"key","key":"a"},{"type":"key","key":"b"},{"type":"match","field":"name","value":"app"},{"type":"key","key":"c"},{"type":"index","index":0}]',
      ],
      [
        'items[key=nginx.conf]',
        '[{"type":"key","key":"items"},{"type":"match","field":"key","value":"nginx.conf"}]',
      ],
      [
        'labels["app.kubernetes.io/name"]',
        '[{"type":"key","key":"labels"},{"type":"key","key":"app.kubernetes.io/name"}]',
      ],
      ['x[key="a]b"]', '[{"type":"key","key":"x"},{"type":"match","field":"key","value":"a]b"}]'],
      ['a.[0]', '[{"type":"key","key":"a"},{"type":"index","index":0}]'],
      ['.a', undefined],
      ['a.', undefined],
      ['a..b', undefined],
      ['a[', undefined],
      ['a[=x]', undefined],
      ['a[0]b', undefined],
      ['a["unterminated]', undefined],
    ];
    for (const [path, expected] of cases) {
      it(`parses ${JSON.stringify(path)}`, () => {
        const parsed = parseFieldPath(path);
        assert.equal(parsed === undefined ? undefined : JSON.stringify(parsed), expected);
      });
    }
    it('formats what it parses', () => {
      for (const path of [
        'a.b[name=app].c[0]',
        'labels["app.kubernetes.io/name"]',
        'x[key="a]b"]',
        'items[key=nginx.conf]',
      ]) {
        assert.equal(formatFieldPath(parseFieldPath(path) ?? []), path);
      }
    });
  });

  it('maps kinds to their pod spec', () => {
    assert.deepEqual(
      [
        'Pod',
        'Deployment',
        'ReplicaSet',
        'StatefulSet',
        'DaemonSet',
        'Job',
        'CronJob',
        'Service',
        'toString',
      ].map(podSpecPath),
      [
        'spec',
        'spec.template.spec',
        'spec.template.spec',
        'spec.template.spec',
        'spec.template.spec',
        'spec.template.spec',
        'spec.jobTemplate.spec.template.spec',
        undefined,
        undefined,
      ],
    );
  });

  describe('resolvePath (0-based line:character, then the text under the range)', () => {
    const cases: { file: string; name: string; path: string; range: string; key?: string }[] = [
      // A scalar gets the value, quotes included; a trailing comment is not part of it.
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app].image',
        range: '22:17 "nginx:1.27"',
        key: '22:10 image',
      },
      // Selected by name: `app` is the second container, not the first.
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=sidecar].image',
        range: '20:17 "envoyproxy/envoy:v1.31.0"',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[1].image',
        range: '22:17 "nginx:1.27"',
      },
      // A map or a list gets its key.
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app].resources',
        range: '32:10 resources',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app].command',
        range: '23:10 command',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app].command[0]',
        range: '23:20 "nginx"',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app].resources.limits.memory',
        range: '34:22 64Mi',
      },
      // An env var by name; a list item without a key points at the field that selected it.
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app].env[name=DB_HOST].valueFrom.configMapKeyRef.key',
        range: '31:23 db_host',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app].env[name=MODE].value',
        range: "26:21 'production'",
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=app]',
        range: '21:16 app',
      },
      // Volume items by key.
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.volumes[name=config].configMap.items[key=mime.types].key',
        range: '42:21 mime.types',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.volumes[name=config].configMap.items[key=mime.types]',
        range: '42:21 mime.types',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'metadata.labels["app.kubernetes.io/name"]',
        range: '7:28 web',
      },
      { file: 'deployment-indented.yaml', name: 'web', path: 'spec.replicas', range: '9:12 2' },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec',
        range: '17:4 spec',
        key: '17:4 spec',
      },
      {
        file: 'deployment-flush.yaml',
        name: 'api',
        path: 'spec.template.spec.containers[name=api].env[name=LOG_LEVEL].value',
        range: '18:17 debug',
      },
      {
        file: 'deployment-flush.yaml',
        name: 'api',
        path: 'spec.template.spec.containers[name=worker].args[1]',
        range: '13:10 "3600"',
      },
      {
        file: 'pod-4space.yaml',
        name: 'batch',
        path: 'spec.containers[name=main].resources.requests.memory',
        range: '11:28 "1Gi"',
      },
      { file: 'pod-4space.yaml', name: 'batch', path: 'spec.containers[name=main]', range: '7:18 main' },
      {
        file: 'cronjob.yaml',
        name: 'nightly',
        path: 'spec.jobTemplate.spec.template.spec.containers[name=report].command[1]',
        range: '17:18 --all',
      },
      { file: 'list.yaml', name: 'one', path: 'spec.containers[name=c].image', range: '10:13 alpine' },
      // Missing: no range.
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[name=nope].image',
        range: '<none>',
      },
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        path: 'spec.template.spec.containers[7]',
        range: '<none>',
      },
      { file: 'deployment-indented.yaml', name: 'web', path: 'spec.replicas.deeper', range: '<none>' },
      { file: 'deployment-indented.yaml', name: 'web', path: 'spec..x', range: '<none>' },
    ];
    for (const c of cases) {
      it(`${c.file} ${c.path}`, () => {
        const file = fixture(c.file);
        const found = resolvePath(docOf(file, c.name), c.path);
        assert.equal(show(file, found?.range), c.range);
        if (c.key !== undefined) assert.equal(show(file, found?.keyRange), c.key);
      });
    }
  });

  describe('resolveBlame', () => {
    const cases: { file: string; name: string; blame: Blame; path: string | undefined; range: string }[] = [
      {
        file: 'deployment-indented.yaml',
        name: 'web',
        blame: {
          root: 'podSpec',
          paths: ['containers[name=app].resources.limits.memory', 'containers[name=app].name'],
        },
        path: 'containers[name=app].resources.limits.memory',
        range: '34:22 64Mi',
      },
      {
        file: 'deployment-flush.yaml',
        name: 'api',
        blame: {
          root: 'podSpec',
          paths: ['containers[name=api].resources.limits.memory', 'containers[name=api].name'],
        },
        path: 'containers[name=api].name',
        range: '14:14 api',
      },
      {
        file: 'deployment-flush.yaml',
        name: 'api',
        blame: { root: 'podSpec', paths: ['tolerations', ''] },
        path: '',
        range: '7:4 spec',
      },
      {
        file: 'cronjob.yaml',
        name: 'nightly',
        blame: { root: 'podSpec', paths: ['containers[name=report].command[0]'] },
        path: 'containers[name=report].command[0]',
        range: '16:18 /bin/report',
      },
      {
        file: 'cronjob.yaml',
        name: 'nightly',
        blame: { root: 'object', paths: ['spec.jobTemplate.spec.backoffLimit'] },
        path: 'spec.jobTemplate.spec.backoffLimit',
        range: '8:20 2',
      },
      {
        file: 'multi.yaml',
        name: 'web',
        blame: { root: 'podSpec', paths: ['containers'] },
        path: undefined,
        range: '<none>',
      },
      {
        file: 'multi.yaml',
        name: 'web',
        blame: { root: 'object', paths: ['spec.selector'] },
        path: 'spec.selector',
        range: '5:2 selector',
      },
    ];
    for (const c of cases) {
      it(`${c.file} ${c.blame.root}:${c.blame.paths.join('|')}`, () => {
        const file = fixture(c.file);
        const found = resolveBlame(docOf(file, c.name), c.blame);
        assert.equal(found?.path, c.path);
        assert.equal(show(file, found?.range), c.range);
      });
    }
  });
});
