import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { createServerPki } from '../../../../src/demo/apiserver/certificates';
import { renderKubeconfig } from '../../../../src/demo/apiserver/kubeconfig';

describe('demo PKI', () => {
  const pki = createServerPki();
  const ca = new X509Certificate(pki.ca.cert);
  const server = new X509Certificate(pki.server.cert);

  it('makes a self-signed CA', () => {
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey));
    assert.equal(ca.subject, 'O=podscope\nCN=podscope-demo-ca');
  });

  it('issues a serving certificate for 127.0.0.1 and localhost, signed by the CA', () => {
    assert.equal(server.ca, false);
    assert.ok(server.verify(ca.publicKey));
    assert.ok(server.checkIssued(ca));
    assert.ok(server.checkIP('127.0.0.1'));
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.ok(Date.parse(server.validFrom) < Date.now() && Date.now() < Date.parse(server.validTo));
  });

  it('renders a kubeconfig with inline CA data, a token user and the podscope-demo context', () => {
    const text = renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem: pki.ca.cert, token: 'tok' });
    assert.match(
      text,
      /^apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n {4}certificate-authority-data: [A-Za-z0-9+/=]+\n {4}server: https:\/\/127\.0\.0\.1:6443\n {2}name: podscope-demo\n/,
    );
    assert.match(
      text,
      /contexts:\n- context:\n {4}cluster: podscope-demo\n {4}namespace: demo\n {4}user: podscope-demo-admin\n {2}name: podscope-demo\ncurrent-context: podscope-demo\n/,
    );
    assert.match(text, /users:\n- name: podscope-demo-admin\n {2}user:\n {4}token: tok\n$/);
  });
});
