// A 1,000-document manifest shaped like the bench cluster's Deployments (svc-NNN, ten per
// bench-NNN namespace), one in ten with an image the cluster does not run, so drift is found.
export function generateManifests(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i % 1000).padStart(3, '0')}`;
    const namespace = `bench-${String(Math.floor(i / 10)).padStart(3, '0')}`;
    const image = i % 10 === 0 ? 'nginx:1.28.0' : 'nginx:1.27.2';
    docs.push(`# ${name}: generated for the benchmark
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    app: ${name}
spec:
  replicas: 5
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: app
          image: ${image}
          ports:
            - containerPort: 80
          resources:
            requests:
              cpu: 10m
              memory: 32Mi
`);
  }
  return docs.join('---\n');
}
