// What the benchmark does to the cluster from outside, as a user would: kubectl, and status
// patches over HTTPS with the demo kubeconfig's CA and token.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';

/** Runs kubectl with its output discarded; resolves with the wall time in ms. */
export function runKubectl(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`kubectl ${args.join(' ')} exited ${code}`)),
    );
  });
}

interface Credentials {
  server: URL;
  ca: Buffer;
  token: string;
}

const cache = new Map<string, Credentials>();

function credentials(kubeconfig: string): Credentials {
  let found = cache.get(kubeconfig);
  if (!found) {
    const config = parse(readFileSync(kubeconfig, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
    };
    const cluster = config.clusters[0]?.cluster;
    const token = config.users[0]?.user.token;
    if (!cluster || !token) throw new Error(`${kubeconfig}: no cluster or token`);
    found = {
      server: new URL(cluster.server),
      ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
      token,
    };
    cache.set(kubeconfig, found);
  }
  return found;
}

/** Sets the pod's first container to healthy, or to crash-looping after an OOM kill. */
export function patchPodStatus(
  kubeconfig: string,
  namespace: string,
  name: string,
  oomKilled: boolean,
): Promise<void> {
  const { server, ca, token } = credentials(kubeconfig);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const status = oomKilled
    ? {
        name: 'app',
        ready: false,
        started: false,
        restartCount: 3,
        image: 'docker.io/library/nginx:1.27.2',
        imageID: '',
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 40s restarting failed container=app pod=${name}_${namespace}(x)`,
          },
        },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: now, finishedAt: now } },
      }
    : {
        name: 'app',
        ready: true,
        started: true,
        restartCount: 3,
        image: 'docker.io/library/nginx:1.27.2',
        imageID: '',
        state: { running: { startedAt: now } },
        lastState: {},
      };
  const body = JSON.stringify({ status: { containerStatuses: [status] } });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: server.hostname,
        port: server.port,
        method: 'PATCH',
        path: `/api/v1/namespaces/${namespace}/pods/${name}/status`,
        ca,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/merge-patch+json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`PATCH status: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
