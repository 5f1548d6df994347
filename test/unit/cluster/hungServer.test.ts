// A server that accepts connections and never answers: requests time out with reason
// 'timeout', and close() tears everything down even though no response ever began.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterSession } from '../../../src/cluster/clusterSession';
import { loadKubeconfig } from '../../../src/cluster/kubeconfig';
import { until } from './until';

describe('cluster against a server that never answers', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let kubeconfig: string;

  before(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      // Read (and ignore) the request, so the client's FIN is seen and 'close' fires.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-hung-')), 'config');
    fs.writeFileSync(
      kubeconfig,
      `current-context: hung\nclusters:\n- name: hung\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: hung\n  context: {cluster: hung, user: u}\n`,
    );
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a list that gets no answer fails with reason timeout', async () => {
    const session = await ClusterSession.open(await loadKubeconfig({ path: kubeconfig }), 'hung', {
      kinds: ['Pod'],
      requestTimeoutMs: 150,
      backoff: { initialMs: 60_000, maxMs: 60_000, deniedMs: 60_000 },
    });
    try {
      const [state] = await session.whenSettled(5000);
      assert.equal(state?.status, 'error');
      assert.equal(state?.error?.reason, 'timeout');
    } finally {
      await session.close();
    }
  });

  it('close() drops connections that never got a response', async () => {
    const session = await ClusterSession.open(await loadKubeconfig({ path: kubeconfig }), 'hung', {
      kinds: ['Pod', 'Node'],
    });
    await until(undefined, () => sockets.size >= 2, 'two connections accepted');
    await session.close();
    await until(undefined, () => sockets.size === 0, 'the client closed its connections', 3000);
  });
});
