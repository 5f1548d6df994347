// The images the simulated registries hold, and how each behaves when run. A pull of a
// repository or tag not listed here fails with containerd's `not found`; a private repository
// needs a dockerconfigjson pull secret for its registry; the behaviour decides exit codes, log
// lines, memory and probe answers from the container's argv, env and mounted files.
import type { ProcessPlan, RunContext } from '../runtime/processPlan';
import { serverProbe } from '../runtime/processPlan';
import { runScript } from '../runtime/shellScript';
import { bytes } from '../quantity';

export interface CatalogImage {
  /** `docker.io/library/nginx` */
  repository: string;
  tags: string[];
  /** Needs a pull secret for its registry host. */
  private?: boolean;
  sizeBytes: number;
  /** The image config's USER: `0`/`root`, a uid, or a name. */
  user: string;
  entrypoint: string[];
  cmd: string[];
  /** Executables in the image, for the runc `executable file not found` check. */
  binaries: string[];
  run(ctx: RunContext): ProcessPlan;
}

const mi = 2 ** 20;

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 22);
}

function startOf(ctx: RunContext): number {
  return ctx.startedAt;
}

/** A long-running server: logs its banner, listens on `ports`, ready after `readyMs`. */
function server(
  ctx: RunContext,
  opts: {
    ports: (number | string)[];
    readyMs: number;
    memory: number;
    banner: string[];
    handlesSigterm?: boolean;
    status?: (path: string) => number;
  },
): ProcessPlan {
  return {
    logs: opts.banner.map((text, i) => ({ atMs: i * 20, text })),
    memoryBytes: opts.memory,
    cpuMilli: 2,
    onSigterm: opts.handlesSigterm === false ? 'ignore' : { code: 0, afterMs: 300 },
    probe: serverProbe(opts.ports, opts.readyMs, ctx.podIP, opts.status),
  };
}

function containerPorts(ctx: RunContext, fallback: number[]): (number | string)[] {
  const ports: (number | string)[] = [...fallback];
  for (const p of ctx.container.ports ?? []) {
    if (!ports.includes(p.containerPort)) continue;
    if (p.name) ports.push(p.name);
  }
  return ports;
}

const nginx: CatalogImage = {
  repository: 'docker.io/library/nginx',
  tags: [
    '1.14.2',
    '1.21',
    '1.25',
    '1.25.5',
    '1.26',
    '1.26.2',
    '1.27',
    '1.27.2',
    '1.27.3',
    'stable',
    'alpine',
    'latest',
  ],
  sizeBytes: 72_188_133,
  user: '0',
  entrypoint: ['/docker-entrypoint.sh'],
  cmd: ['nginx', '-g', 'daemon off;'],
  binaries: [
    '/docker-entrypoint.sh',
    '/usr/sbin/nginx',
    '/bin/sh',
    '/bin/bash',
    '/bin/cat',
    '/bin/echo',
    '/bin/sleep',
  ],
  run: (ctx) =>
    server(ctx, {
      ports: containerPorts(ctx, [80]),
      readyMs: 500,
      memory: 7 * mi,
      status: (path) => (path === '/' || path === '/index.html' ? 200 : 404),
      banner: [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        `${stamp(startOf(ctx))} [notice] 1#1: nginx/1.27.2`,
        `${stamp(startOf(ctx))} [notice] 1#1: start worker processes`,
      ],
    }),
};

/** busybox runs whatever shell the manifest gives it; its PID 1 shell ignores SIGTERM. */
function busyboxRun(ctx: RunContext): ProcessPlan {
  const argv = ctx.argv;
  const base = (argv[0] ?? 'sh').replace(/^.*\//, '');
  let script: string;
  if ((base === 'sh' || base === 'ash') && argv[1] === '-c') script = argv.slice(2).join(' ');
  else if (base === 'sh') script = 'exit 0';
  else script = argv.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
  const start = startOf(ctx);
  const timeline = runScript(script, new Map(ctx.files), (at) =>
    new Date(start + at).toUTCString().replace('GMT', 'UTC'),
  );
  const plan: ProcessPlan = {
    logs: timeline.logs,
    memoryBytes: 1 * mi,
    cpuMilli: 1,
    onSigterm: 'ignore',
    probe: (_kind, probe, atMs) => {
      const command = probe.exec?.command ?? [];
      if (command[0] === 'cat' && command[1]) {
        return timeline.fileExists(command[1], atMs)
          ? { ok: true, output: '' }
          : { ok: false, output: `cat: can't open '${command[1]}': No such file or directory` };
      }
      return probe.exec ? { ok: true, output: '' } : { ok: false, output: '' };
    },
  };
  if (timeline.exit) plan.exit = timeline.exit;
  if (timeline.loop) {
    const loop = timeline.loop;
    if (loop.lines.length > 0)
      plan.repeat = {
        startMs: loop.startMs,
        everyMs: loop.periodMs,
        text: (n) => loop.lines[n % loop.lines.length]!,
      };
  }
  return plan;
}

function busybox(repository: string): CatalogImage {
  return {
    repository,
    tags: ['latest', '1.28', '1.36', '1.36.1', '1.37'],
    sizeBytes: 2_156_386,
    user: '0',
    entrypoint: [],
    cmd: ['sh'],
    binaries: [
      '/bin/sh',
      '/bin/ash',
      '/bin/echo',
      '/bin/sleep',
      '/bin/cat',
      '/bin/touch',
      '/bin/rm',
      '/bin/date',
      '/bin/true',
      '/bin/false',
      '/bin/wget',
    ],
    run: busyboxRun,
  };
}

/** Bitnami's Apache: dies at start when httpd.conf `Include`s a file that is not there. */
const apache: CatalogImage = {
  repository: 'docker.io/bitnami/apache',
  tags: ['2.4', '2.4.58', '2.4.62', 'latest'],
  sizeBytes: 120_420_118,
  user: '1001',
  entrypoint: ['/opt/bitnami/scripts/apache/entrypoint.sh'],
  cmd: ['/opt/bitnami/scripts/apache/run.sh'],
  binaries: [
    '/opt/bitnami/scripts/apache/entrypoint.sh',
    '/opt/bitnami/scripts/apache/run.sh',
    '/opt/bitnami/apache/bin/httpd',
    '/bin/sh',
    '/bin/bash',
  ],
  run: (ctx) => {
    const start = startOf(ctx);
    const banner = [
      `apache ${clock(start)} `,
      `apache ${clock(start)} Welcome to the Bitnami apache container`,
      `apache ${clock(start)} Subscribe to project updates by watching https://github.com/bitnami/containers`,
      `apache ${clock(start)} `,
      `apache ${clock(start + 10)} INFO  ==> ** Starting Apache setup **`,
      `apache ${clock(start + 110)} INFO  ==> ** Apache setup finished! **`,
      `apache ${clock(start + 150)} INFO  ==> ** Starting Apache **`,
    ];
    const confPath = '/opt/bitnami/apache/conf/httpd.conf';
    const conf = ctx.files.get(confPath);
    const lines = (conf ?? '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*Include(?:Optional)?\s+(\S+)/i.exec(lines[i]!);
      if (!m || /^\s*IncludeOptional/i.test(lines[i]!)) continue;
      const target = m[1]!.startsWith('/') ? m[1]! : `/opt/bitnami/apache/${m[1]!}`;
      if (ctx.files.has(target)) continue;
      return {
        logs: [
          ...banner.map((text, n) => ({ atMs: n * 20, text })),
          {
            atMs: 300,
            text: `httpd: Syntax error on line ${i + 1} of ${confPath}: Could not open configuration file ${target}: No such file or directory`,
          },
        ],
        exit: { atMs: 320, code: 1 },
        memoryBytes: 12 * mi,
        cpuMilli: 5,
        onSigterm: { code: 0, afterMs: 100 },
        probe: serverProbe([], 0, ctx.podIP),
      };
    }
    return server(ctx, { ports: containerPorts(ctx, [8080, 8443]), readyMs: 2000, memory: 24 * mi, banner });
  },
};

/** OpsCruise's log gateway: retries Loki ten times, then exits 1 unless the Loki Service answers. */
const loggw: CatalogImage = {
  repository: 'docker.io/opscruise/loggw',
  tags: ['2.3.1', 'latest'],
  sizeBytes: 48_112_640,
  user: '1000',
  entrypoint: ['/app/loggw'],
  cmd: [],
  binaries: ['/app/loggw', '/bin/sh'],
  run: (ctx) => {
    const start = startOf(ctx);
    const endpoint = ctx.env['LOKI_ENDPOINT'] ?? 'ws://opscruise-bundle-loki:3100';
    const host = endpoint.replace(/^[a-z]+:\/\//, '').replace(/[:/].*$/, '');
    const logs = [
      { atMs: 0, text: `${stamp(start)} INFO - Endpoint: ${endpoint}` },
      { atMs: 5, text: `${stamp(start)} INFO - Initializing loki websocket listener` },
    ];
    const base = {
      memoryBytes: 38 * mi,
      cpuMilli: 3,
      onSigterm: { code: 0, afterMs: 200 },
      probe: serverProbe([8080, 'http'], 1000, ctx.podIP),
    } as const;
    if (ctx.serviceReachable(host)) {
      return {
        ...base,
        logs: [
          ...logs,
          { atMs: 1500, text: `${stamp(start + 1500)} INFO - opening websocket` },
          {
            atMs: 1600,
            text: `${stamp(start + 1600)} INFO - Successfully initiated log tailing using web-socket`,
          },
        ],
      };
    }
    // Ten connection attempts five seconds apart, then it gives up.
    const failAt = 10 * 5_000;
    return {
      ...base,
      logs: [
        ...logs,
        {
          atMs: failAt,
          text: `${stamp(start + failAt)} ERROR - IO Error while listening in web-socket connection`,
        },
        {
          atMs: failAt + 1,
          text: `${stamp(start + failAt)} WARN - Exiting. Could not connect to loki after 10 retries.`,
        },
      ],
      exit: { atMs: failAt + 2, code: 1 },
    };
  },
};

/** Knative's activator: stays unready (HTTP 500) until the autoscaler Service has endpoints. */
const activator: CatalogImage = {
  repository: 'gcr.io/knative-releases/knative.dev/serving/cmd/activator',
  tags: ['v1.12.0', 'v1.14.1'],
  sizeBytes: 31_457_280,
  user: '65532',
  entrypoint: ['/ko-app/activator'],
  cmd: [],
  binaries: ['/ko-app/activator'],
  run: (ctx) => {
    const start = startOf(ctx);
    // Decided at start for the logs; the readiness probe asks again each time, so creating the
    // autoscaler makes the same pod ready without a restart.
    const reachable = ctx.serviceReachable('autoscaler');
    const line = (at: number, level: string, msg: string): { atMs: number; text: string } => ({
      atMs: at,
      text: JSON.stringify({
        severity: level,
        timestamp: new Date(start + at).toISOString(),
        logger: 'activator',
        caller: 'activator/main.go:196',
        message: msg,
      }),
    });
    const plan: ProcessPlan = {
      logs: [
        line(0, 'INFO', 'Starting the knative activator'),
        line(
          50,
          'INFO',
          'Connecting to Autoscaler at ws://autoscaler.knative-serving.svc.cluster.local:8080',
        ),
      ],
      memoryBytes: 27 * mi,
      cpuMilli: 4,
      onSigterm: { code: 0, afterMs: 500 },
      probe: serverProbe(containerPorts(ctx, [8012, 9090]), 1000, ctx.podIP, () =>
        ctx.serviceReachable('autoscaler') ? 200 : 500,
      ),
    };
    if (!reachable) {
      plan.repeat = {
        startMs: 1000,
        everyMs: 10_000,
        text: (_n, at) =>
          JSON.stringify({
            severity: 'ERROR',
            timestamp: new Date(start + at).toISOString(),
            logger: 'activator',
            caller: 'websocket/connection.go:161',
            message: 'Websocket connection could not be established',
            error: 'dial tcp: lookup autoscaler.knative-serving.svc.cluster.local: no such host',
          }),
      };
    }
    return plan;
  },
};

/** polinux/stress: holds `--vm-bytes` of memory, so a lower limit is an OOM kill. */
const stress: CatalogImage = {
  repository: 'docker.io/polinux/stress',
  tags: ['latest', '1.0.4'],
  sizeBytes: 4_041_507,
  user: '0',
  entrypoint: [],
  cmd: ['stress'],
  binaries: ['/usr/bin/stress', '/bin/sh'],
  run: (ctx) => {
    const i = ctx.argv.indexOf('--vm-bytes');
    const vmBytes = i >= 0 ? bytes(ctx.argv[i + 1]!.replace(/([KMG])$/, '$1i')) : 0;
    return {
      logs: [
        {
          atMs: 0,
          text: `stress: info: [1] dispatching hogs: 0 cpu, 0 io, ${ctx.argv.includes('--vm') ? 1 : 0} vm, 0 hdd`,
        },
      ],
      memoryBytes: vmBytes + 1 * mi,
      oomAtMs: 1500,
      cpuMilli: 900,
      onSigterm: { code: 143, afterMs: 10 },
      probe: () => ({ ok: true, output: '' }),
    };
  },
};

function plainServer(
  repository: string,
  tags: string[],
  opts: {
    user: string;
    binary: string;
    ports: number[];
    memoryMi: number;
    banner: (start: number) => string[];
    privateRepo?: boolean;
  },
): CatalogImage {
  return {
    repository,
    tags,
    ...(opts.privateRepo ? { private: true } : {}),
    sizeBytes: 30_000_000 + opts.memoryMi * 100_000,
    user: opts.user,
    entrypoint: [opts.binary],
    cmd: [],
    binaries: [opts.binary, '/bin/sh'],
    run: (ctx) =>
      server(ctx, {
        ports: containerPorts(ctx, opts.ports),
        readyMs: 1500,
        memory: opts.memoryMi * mi,
        banner: opts.banner(startOf(ctx)),
        status: (path) =>
          ['/', '/healthz', '/readyz', '/ready', '/live', '/metrics'].includes(path) ? 200 : 404,
      }),
  };
}

const redis = plainServer('docker.io/library/redis', ['6.2', '7.2', '7.2.5', '7.4', 'latest', 'alpine'], {
  user: '0',
  binary: '/usr/local/bin/docker-entrypoint.sh',
  ports: [6379],
  memoryMi: 4,
  banner: () => [
    '1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
    '1:M * Running mode=standalone, port=6379.',
    '1:M * Server initialized',
    '1:M * Ready to accept connections tcp',
  ],
});

const checkout = plainServer('registry.example.com/shop/checkout', ['1.4.1', '1.4.2'], {
  user: '10001',
  binary: '/app/checkout-server',
  ports: [8080],
  memoryMi: 96,
  privateRepo: true,
  banner: (s) => [
    `${new Date(s).toISOString()} level=info msg="checkout starting" version=1.4.2`,
    `${new Date(s + 800).toISOString()} level=info msg="listening" addr=:8080`,
  ],
});

const cart = plainServer('ghcr.io/podscope-demo/cart', ['0.9.0', '1.0.0'], {
  user: '10001',
  binary: '/app/cart',
  ports: [8080],
  memoryMi: 48,
  banner: (s) => [`${new Date(s).toISOString()} INFO cart service listening on :8080`],
});

const nodeExporter = plainServer('quay.io/prometheus/node-exporter', ['v1.8.2', 'latest'], {
  user: '65534',
  binary: '/bin/node_exporter',
  ports: [9100],
  memoryMi: 18,
  banner: () => [
    'ts=2025-06-10T09:00:00.000Z caller=node_exporter.go:193 level=info msg="Starting node_exporter" version="(version=1.8.2)"',
    'ts=2025-06-10T09:00:00.010Z caller=tls_config.go:313 level=info msg="Listening on" address=[::]:9100',
  ],
});

const loki = plainServer('docker.io/grafana/loki', ['2.9.10', '3.1.1', 'latest'], {
  user: '10001',
  binary: '/usr/bin/loki',
  ports: [3100, 9095],
  memoryMi: 120,
  banner: (s) => [
    `level=info ts=${new Date(s).toISOString()} caller=main.go:126 msg="Starting Loki" version="(version=3.1.1)"`,
    `level=info ts=${new Date(s + 900).toISOString()} caller=loki.go:517 msg="Loki started"`,
  ],
});

const autoscaler = plainServer(
  'gcr.io/knative-releases/knative.dev/serving/cmd/autoscaler',
  ['v1.12.0', 'v1.14.1'],
  {
    user: '65532',
    binary: '/ko-app/autoscaler',
    ports: [8080, 9090],
    memoryMi: 40,
    banner: (s) => [
      JSON.stringify({
        severity: 'INFO',
        timestamp: new Date(s).toISOString(),
        logger: 'autoscaler',
        message: 'Starting the knative autoscaler',
      }),
    ],
  },
);

const unprivilegedNginx: CatalogImage = {
  ...nginx,
  repository: 'docker.io/nginxinc/nginx-unprivileged',
  user: '101',
  run: (ctx) =>
    nginx.run({
      ...ctx,
      container: { ...ctx.container, ports: ctx.container.ports ?? [{ containerPort: 8080 }] },
    }),
};

export const imageCatalog: readonly CatalogImage[] = [
  nginx,
  unprivilegedNginx,
  busybox('docker.io/library/busybox'),
  busybox('k8s.gcr.io/busybox'),
  busybox('registry.k8s.io/busybox'),
  apache,
  loggw,
  activator,
  stress,
  redis,
  checkout,
  cart,
  nodeExporter,
  loki,
  autoscaler,
];

const byRepository = new Map(imageCatalog.map((image) => [image.repository, image]));

export function findImage(repository: string): CatalogImage | undefined {
  return byRepository.get(repository);
}

/** A stable fake digest for `repository:tag`, so imageID looks like `repo@sha256:...`. */
export function imageDigest(normalized: string): string {
  let h1 = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < normalized.length; i++)
      h1 = Math.imul(h1 ^ normalized.charCodeAt(i) ^ round, 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, '0');
  }
  return `sha256:${out}`;
}
