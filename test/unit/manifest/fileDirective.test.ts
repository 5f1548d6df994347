import { strict as assert } from 'node:assert';
import { parseFileDirective } from '../../../src/manifest/fileDirective';

describe('the # podscope: directive at the top of a manifest', () => {
  const cases: [string, string, ReturnType<typeof parseFileDirective>][] = [
    [
      'context and namespace',
      '# podscope: context=prod namespace=shop\napiVersion: v1\n',
      { context: 'prod', namespace: 'shop', ignored: [] },
    ],
    [
      'after other comments and a ---',
      '# Checkout\n\n---\n#podscope:   namespace=demo\nkind: Pod\n',
      { namespace: 'demo', ignored: [] },
    ],
    [
      'a context name with : / @ and .',
      '# podscope: context=arn:aws:eks:eu-west-1:1/prod@admin.x\n',
      { context: 'arn:aws:eks:eu-west-1:1/prod@admin.x', ignored: [] },
    ],
    [
      'unknown words and invalid namespaces kept aside',
      '# Podscope: cluster=x namespace=Shop_1 context=\n',
      { ignored: ['cluster=x', 'namespace=Shop_1', 'context='] },
    ],
    [
      'the last directive of the block wins',
      '# podscope: context=a\n# podscope: context=b\n',
      { context: 'b', ignored: [] },
    ],
    ['CRLF line ends', '# podscope: context=prod\r\napiVersion: v1\r\n', { context: 'prod', ignored: [] }],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(parseFileDirective(text), expected));
  }

  it('is not read below the first line of YAML, nor inside a value', () => {
    assert.equal(parseFileDirective('apiVersion: v1\n# podscope: context=prod\n'), undefined);
    assert.equal(parseFileDirective('data:\n  x: "# podscope: context=prod"\n'), undefined);
    assert.equal(parseFileDirective(''), undefined);
  });
});
