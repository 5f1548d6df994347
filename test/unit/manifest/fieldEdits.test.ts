import { strict as assert } from 'node:assert';
import type { FieldChange } from '../../../src/kube/fieldChange';
import { editsForChanges } from '../../../src/manifest/fieldEdits';
import { applyEdits } from '../../../src/manifest/textEdit';
import { parseManifestFile } from '../../../src/manifest/manifestDocument';
import { docOf, fixtureText } from './fixtures';

interface Case {
  name: string;
  /** A fixture file name, or inline YAML text. */
  file: string;
  object: string;
  changes: FieldChange[];
  /** Pairs of [text before, text after]: each `before` occurs once in the original. */
  expect: [string, string][] | { fails: RegExp };
}

const set = (path: string, value: unknown, root: 'podSpec' | 'object' = 'podSpec'): FieldChange => ({
  op: 'set',
  root,
  path,
  value,
});
const append = (path: string, value: unknown, root: 'podSpec' | 'object' = 'podSpec'): FieldChange => ({
  op: 'append',
  root,
  path,
  value,
});
const remove = (path: string, root: 'podSpec' | 'object' = 'podSpec'): FieldChange => ({
  op: 'remove',
  root,
  path,
});
const toleration = { key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' };

const cases: Case[] = [
  // Two spaces, sequences indented under their key.
  {
    name: 'replaces an image keeping its double quotes and the comment',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].image', 'nginx:1.25')],
    expect: [['image: "nginx:1.27" # pinned', 'image: "nginx:1.25" # pinned']],
  },
  {
    name: 'selects the container by name, not position',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=sidecar].image', 'envoyproxy/envoy:v1.31.2')],
    expect: [['"envoyproxy/envoy:v1.31.0"', '"envoyproxy/envoy:v1.31.2"']],
  },
  {
    name: 'keeps single quotes on an env value selected by name',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].env[name=MODE].value', "it's staging")],
    expect: [["value: 'production'", "value: 'it''s staging'"]],
  },
  {
    name: 'raises a memory limit',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].resources.limits.memory', '256Mi')],
    expect: [['memory: 64Mi', 'memory: 256Mi']],
  },
  {
    name: 'fixes a configMapKeyRef key',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].env[name=DB_HOST].valueFrom.configMapKeyRef.key', 'db_url')],
    expect: [['key: db_host', 'key: db_url']],
  },
  {
    name: 'fixes a volume item by key',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('volumes[name=config].configMap.items[key=mime.types].key', 'mime.conf')],
    expect: [['- key: mime.types', '- key: mime.conf']],
  },
  {
    name: 'adds requests next to existing limits',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].resources.requests.memory', '128Mi')],
    expect: [
      [
        '              memory: 64Mi\n',
        '              memory: 64Mi\n            requests:\n              memory: 128Mi\n',
      ],
    ],
  },
  {
    name: 'creates a whole resources block in a container that has none',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=sidecar].resources.limits.memory', '256Mi')],
    expect: [
      [
        '          image: "envoyproxy/envoy:v1.31.0"\n',
        '          image: "envoyproxy/envoy:v1.31.0"\n          resources:\n            limits:\n              memory: 256Mi\n',
      ],
    ],
  },
  {
    name: 'makes two changes where the second needs the block the first created',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [
      set('containers[name=sidecar].resources.limits.memory', '256Mi'),
      set('containers[name=sidecar].resources.requests.memory', '128Mi'),
    ],
    expect: [
      [
        '          image: "envoyproxy/envoy:v1.31.0"\n',
        '          image: "envoyproxy/envoy:v1.31.0"\n          resources:\n            limits:\n              memory: 256Mi\n            requests:\n              memory: 128Mi\n',
      ],
    ],
  },
  {
    name: 'creates tolerations under the pod spec (indented sequence)',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [append('tolerations', toleration)],
    expect: [
      [
        '                path: mime.types\n',
        '                path: mime.types\n      tolerations:\n        - key: dedicated\n          operator: Equal\n          value: batch\n          effect: NoSchedule\n',
      ],
    ],
  },
  {
    name: 'appends an env var',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [append('containers[name=app].env', { name: 'DEBUG', value: 'true' })],
    expect: [
      [
        '                  key: db_host\n',
        '                  key: db_host\n            - name: DEBUG\n              value: "true"\n',
      ],
    ],
  },
  {
    name: 'removes a command (a flow list) by deleting its line',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [remove('containers[name=app].command')],
    expect: [['          command: ["nginx", "-g", "daemon off;"]\n', '']],
  },
  {
    name: 'removes an env var by name',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [remove('containers[name=app].env[name=MODE]')],
    expect: [["            - name: MODE\n              value: 'production'\n", '']],
  },
  {
    name: 'removing something absent changes nothing',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [remove('containers[name=app].livenessProbe')],
    expect: [],
  },
  {
    name: 'replaces a string inside a flow list keeping its quotes',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].command[0]', '/usr/sbin/nginx')],
    expect: [['["nginx", "-g"', '["/usr/sbin/nginx", "-g"']],
  },
  {
    name: 'appends to a flow list without rewriting it',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [append('containers[name=app].command', '-q')],
    expect: [['"daemon off;"]', '"daemon off;", -q]']],
  },
  {
    name: 'replaces a whole map',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].resources', { limits: { memory: '1Gi', cpu: '1' } })],
    expect: [
      [
        '            limits:\n              memory: 64Mi\n',
        '            limits:\n              memory: 1Gi\n              cpu: "1"\n',
      ],
    ],
  },
  {
    name: 'sets an object-rooted field',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('spec.replicas', 3, 'object')],
    expect: [['replicas: 2 # scaled by hand', 'replicas: 3 # scaled by hand']],
  },
  // Two spaces, `- ` at the key's column (kubectl's own output).
  {
    name: 'creates a resources block (flush sequences)',
    file: 'deployment-flush.yaml',
    object: 'api',
    changes: [set('containers[name=api].resources.limits.memory', '512Mi')],
    expect: [
      [
        '          value: debug\n',
        '          value: debug\n        resources:\n          limits:\n            memory: 512Mi\n',
      ],
    ],
  },
  {
    name: 'creates tolerations with the dash at the key column',
    file: 'deployment-flush.yaml',
    object: 'api',
    changes: [append('tolerations', toleration)],
    expect: [
      [
        '        disktype: ssd\n',
        '        disktype: ssd\n      tolerations:\n      - key: dedicated\n        operator: Equal\n        value: batch\n        effect: NoSchedule\n',
      ],
    ],
  },
  {
    name: 'appends an env var at the existing dash column',
    file: 'deployment-flush.yaml',
    object: 'api',
    changes: [append('containers[name=api].env', { name: 'X', value: '1' })],
    expect: [
      ['          value: debug\n', '          value: debug\n        - name: X\n          value: "1"\n'],
    ],
  },
  {
    name: 'removes a list item',
    file: 'deployment-flush.yaml',
    object: 'api',
    changes: [remove('containers[name=worker].args[1]')],
    expect: [['        - "3600"\n', '']],
  },
  {
    name: 'adds a container by name when it is missing',
    file: 'deployment-flush.yaml',
    object: 'api',
    changes: [set('containers[name=proxy].image', 'envoy:1')],
    expect: [
      ['          value: debug\n', '          value: debug\n      - name: proxy\n        image: envoy:1\n'],
    ],
  },
  // Four spaces, `-   ` items.
  {
    name: 'adds limits next to requests (4 spaces)',
    file: 'pod-4space.yaml',
    object: 'batch',
    changes: [set('containers[name=main].resources.limits.memory', '2Gi')],
    expect: [
      [
        '                    cpu: 500m\n',
        '                    cpu: 500m\n                limits:\n                    memory: 2Gi\n',
      ],
    ],
  },
  {
    name: 'keeps double quotes on a quantity (4 spaces)',
    file: 'pod-4space.yaml',
    object: 'batch',
    changes: [set('containers[name=main].resources.requests.memory', '512Mi')],
    expect: [['memory: "1Gi"', 'memory: "512Mi"']],
  },
  {
    name: 'creates tolerations (4 spaces)',
    file: 'pod-4space.yaml',
    object: 'batch',
    changes: [append('tolerations', { key: 'gpu', operator: 'Exists' })],
    expect: [
      [
        '    restartPolicy: Never\n',
        '    restartPolicy: Never\n    tolerations:\n        - key: gpu\n          operator: Exists\n',
      ],
    ],
  },
  {
    name: 'appends a container with the file’s item offset (4 spaces)',
    file: 'pod-4space.yaml',
    object: 'batch',
    changes: [append('containers', { name: 'log', image: 'busybox' })],
    expect: [
      [
        '                    cpu: 500m\n',
        '                    cpu: 500m\n        -   name: log\n            image: busybox\n',
      ],
    ],
  },
  {
    name: 'edits a CronJob through its job template',
    file: 'cronjob.yaml',
    object: 'nightly',
    changes: [set('containers[name=report].command[0]', '/bin/report2')],
    expect: [['- /bin/report\n', '- /bin/report2\n']],
  },
  // Inline layouts.
  {
    name: 'turns `resources: {}` into a block',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      resources: {} # none yet\n      image: x\n',
    object: 'p',
    changes: [set('containers[name=c].resources.limits.memory', '1Gi')],
    expect: [
      [
        '      resources: {} # none yet\n',
        '      resources:\n        limits:\n          memory: 1Gi # none yet\n',
      ],
    ],
  },
  {
    name: 'fills an empty `resources:`',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      resources:\n      image: x\n',
    object: 'p',
    changes: [set('containers[name=c].resources.limits.memory', '1Gi')],
    expect: [['      resources:\n', '      resources:\n        limits:\n          memory: 1Gi\n']],
  },
  {
    name: 'replaces an explicit null',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      resources: ~ # later\n',
    object: 'p',
    changes: [set('containers[name=c].resources.limits.memory', '1Gi')],
    expect: [
      ['      resources: ~ # later\n', '      resources:\n        limits:\n          memory: 1Gi # later\n'],
    ],
  },
  {
    name: 'refuses a scalar as a list item selected by name',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=new]', 'x')],
    expect: { fails: /must be a map/ },
  },
  {
    name: 'adds a key to a non-empty flow map',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeSelector: {disktype: ssd}\n  containers: []\n',
    object: 'p',
    changes: [set('nodeSelector.zone', 'a')],
    expect: [['{disktype: ssd}', '{ disktype: ssd, zone: a }']],
  },
  {
    name: 'keeps CRLF line ends',
    file: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: c\r\n    image: x\r\n',
    object: 'p',
    changes: [set('containers[name=c].resources.limits.memory', '1Gi')],
    expect: [
      ['    image: x\r\n', '    image: x\r\n    resources:\r\n      limits:\r\n        memory: 1Gi\r\n'],
    ],
  },
  {
    name: 'adds to a file without a final newline',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x',
    object: 'p',
    changes: [set('priorityClassName', 'high')],
    expect: [['    image: x', '    image: x\n  priorityClassName: high']],
  },
  {
    name: 'empties a list with [] when its last item goes',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    env:\n    - name: A\n      value: b\n',
    object: 'p',
    changes: [remove('containers[name=c].env[name=A]')],
    expect: [['    env:\n    - name: A\n      value: b\n', '    env: []\n']],
  },
  {
    name: 'removes the first key of a list item',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  tolerations:\n  - operator: Exists\n    key: a\n  containers: []\n',
    object: 'p',
    changes: [remove('tolerations[key=a].operator')],
    expect: [['  - operator: Exists\n    key: a\n', '  - key: a\n']],
  },
  {
    name: 'keeps YAML 1.1 booleans and numbers strings',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    env:\n    - name: A\n      value: x\n',
    object: 'p',
    changes: [
      set('containers[name=c].env[name=A].value', 'yes'),
      append('containers[name=c].env', { name: 'B', value: '0644' }),
    ],
    expect: [['      value: x\n', '      value: "yes"\n    - name: B\n      value: "0644"\n']],
  },
  {
    name: 'turns `tolerations: []` into a block list',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  tolerations: []\n  containers: []\n',
    object: 'p',
    changes: [append('tolerations', { key: 'a', operator: 'Exists' })],
    expect: [['  tolerations: []\n', '  tolerations:\n    - key: a\n      operator: Exists\n']],
  },
  {
    name: 'appends to a flow list with a trailing comma',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    args: [a, b,]\n',
    object: 'p',
    changes: [append('containers[name=c].args', 'c d')],
    expect: [['[a, b,]', '[a, b, c d]']],
  },
  {
    name: 'appends after items whose dash stands alone on its line',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  -\n    name: c\n    image: x\n',
    object: 'p',
    changes: [append('containers', { name: 'd', image: 'y' })], // `y` is a YAML 1.1 boolean: quoted
    expect: [['    image: x\n', '    image: x\n  - name: d\n    image: "y"\n']],
  },
  {
    name: 'adds after a last key that has no value, not after the comment below it',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n  nodeName:\n  # pinned later\n---\n',
    object: 'p',
    changes: [set('priorityClassName', 'high')],
    expect: [['  nodeName:\n', '  nodeName:\n  priorityClassName: high\n']],
  },
  {
    name: 'replaces a map whose last key has no value, colon included',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  schedulerName:\n',
    object: 'p',
    changes: [set('spec', 0, 'object')],
    expect: [['spec:\n  schedulerName:\n', 'spec: 0\n']],
  },
  {
    name: 'replaces a list whose last item is empty, dash included',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      args:\n        - a\n        -\n',
    object: 'p',
    changes: [set('containers[name=c].args', ['b'])],
    expect: [['        - a\n        -\n', '        - b\n']],
  },
  // Refusals.
  {
    name: 'refuses to create a list item by a far index',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].command[9]', 'x')],
    expect: { fails: /cannot create list item 9/ },
  },
  {
    name: 'refuses a pod-spec change on a kind without pods',
    file: 'multi.yaml',
    object: 'web',
    changes: [set('containers[name=a].image', 'x')],
    expect: { fails: /Service has no pod spec/ },
  },
  {
    name: 'refuses to edit through an alias',
    file: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nx: &r {a: 1}\nspec: *r\n',
    object: 'p',
    changes: [set('a', 2)],
    expect: { fails: /alias/ },
  },
  {
    name: 'refuses a child of a scalar',
    file: 'deployment-indented.yaml',
    object: 'web',
    changes: [set('containers[name=app].image.tag', 'x')],
    expect: { fails: /not a map/ },
  },
];

describe('fieldEdits', () => {
  for (const c of cases) {
    it(c.name, () => {
      const text = c.file.endsWith('.yaml') ? fixtureText(c.file) : c.file;
      const file = parseManifestFile(text);
      const result = editsForChanges(file, docOf(file, c.object), c.changes);
      if ('fails' in c.expect) {
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.reason, c.expect.fails);
        return;
      }
      assert.ok(result.ok, result.ok ? '' : result.reason);
      let expected = text;
      for (const [before, after] of c.expect) {
        assert.equal(text.split(before).length, 2, `"${before}" must occur once in the fixture`);
        expected = expected.replace(before, () => after);
      }
      assert.equal(applyEdits(text, result.edits), expected);
      // The result still parses to the same object identity.
      const again = parseManifestFile(expected);
      assert.ok(again.documents.some((d) => d.status === 'object' && d.identity.name === c.object));
    });
  }

  it('applies edits in any order', () => {
    assert.equal(
      applyEdits('abcdef', [
        { start: 4, end: 5, newText: 'E' },
        { start: 0, end: 1, newText: 'AA' },
        { start: 2, end: 2, newText: '+' },
      ]),
      'AAb+cdEf',
    );
  });

  it('appends after a value nested more than 256 levels deep, not inside it (found by npm run fuzz)', () => {
    const nested = Array.from({ length: 300 }, (_, i) => `${' '.repeat(2 * (i + 1))}k${i}:`).join('\n');
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n${nested} 1\n`;
    const file = parseManifestFile(text);
    const result = editsForChanges(file, docOf(file, 'deep'), [
      { op: 'set', root: 'podSpec', path: 'x', value: 'y' },
    ]);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(applyEdits(text, result.edits), `${text}  x: "y"\n`);
  });
});
