// The editor's context menu acts on the object under the cursor.
import * as assert from 'node:assert/strict';
import { manifestTargetAt } from '../../../src/manifest/manifestTarget';

const text = `apiVersion: v1
kind: Pod
metadata:
  name: missing-cm
  namespace: demo
spec:
  containers:
    - name: app
      image: busybox
    - name: sidecar
      image: busybox
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: apache
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: apache
  template:
    metadata:
      labels:
        app.kubernetes.io/name: apache
    spec:
      containers:
        - name: apache
          image: bitnami/apache
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: httpd-cm
`;

describe('manifestTargetAt', () => {
  it('gives the Pod with its containers', () => {
    assert.deepEqual(manifestTargetAt(text, text.indexOf('sidecar')), {
      type: 'pod',
      target: { namespace: 'demo', pod: 'missing-cm', containers: ['app', 'sidecar'] },
    });
  });

  it('gives the Deployment with its selector and no namespace when the file names none', () => {
    assert.deepEqual(manifestTargetAt(text, text.indexOf('bitnami')), {
      type: 'workload',
      target: { kind: 'Deployment', name: 'apache', selector: 'app.kubernetes.io/name=apache' },
    });
  });

  it('gives nothing for a ConfigMap', () => {
    assert.equal(manifestTargetAt(text, text.indexOf('httpd-cm')), undefined);
  });
});
