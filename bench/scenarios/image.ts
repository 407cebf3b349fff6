import fs from 'node:fs';
import path from 'node:path';
import {
  BASE_IMAGE,
  buildImage,
  engineMissing,
  ensureBaseImage,
  imageBytes,
  removeImage,
  runInImage,
} from '../container.ts';
import { oursCli } from '../peers.ts';
import { summarize } from '../stats.ts';
import { type Context, type Row, run, tempDir, unavailable } from '../util.ts';
import { apiApp } from './api.ts';

const MB = 1_000_000;

/**
 * 11. The image: the generated API's Dockerfile built for real by podman (bench/container.ts), in MB
 * added above its base image (`podman image inspect` sizes, decimal MB as registries show them), with
 * error reporting on as by default; then the same app with tracing added. Baseline: bare Fastify's
 * final stage (its production node_modules and a server.js) on the same base. The default image must
 * also answer /readyz inside the container (buildah run, against the real PostgreSQL).
 */
export async function image(ctx: Context): Promise<Row[]> {
  const missing = engineMissing();
  const row = (
    id: string,
    scenario: string,
    ours: Row['ours'],
    baseline: Row['baseline'],
    target: string,
    note?: string,
  ): Row => {
    const ratio = ours && baseline && 'median' in ours && 'median' in baseline ? ours.median / baseline.median : null;
    const limit = Number(/≤ (\d+)/.exec(target)?.[1]);
    const met = ours && 'median' in ours && Number.isFinite(limit) ? ours.median <= limit : null;
    return {
      id,
      scenario,
      unit: 'MB',
      ours,
      baselineName: 'bare Fastify',
      baseline,
      ratio,
      target,
      met,
      ...(note ? { note } : {}),
    };
  };
  if (missing) {
    return [row('11a', 'image: MB above the node base', unavailable(missing), null, '≤ 15 (stretch ≤ 5)')];
  }
  ensureBaseImage(ctx.log);
  const base = imageBytes(BASE_IMAGE);
  const added = (tag: string) => (imageBytes(tag) - base) / MB;

  // Bare Fastify's final stage on the same base: its production install and one file.
  const app = await apiApp(ctx);
  const lock = JSON.parse(fs.readFileSync(path.join(app.dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const bare = tempDir(ctx, 'image-fastify');
  fs.writeFileSync(
    path.join(bare, 'package.json'),
    JSON.stringify({
      name: 'bare',
      private: true,
      type: 'module',
      dependencies: { fastify: lock.packages['node_modules/fastify']?.version ?? '5' },
    }),
  );
  fs.writeFileSync(
    path.join(bare, 'server.js'),
    "import { fastify } from 'fastify';\nconst app = fastify();\napp.get('/healthz', async () => ({ status: 'ok' }));\nawait app.listen({ port: 3000, host: '0.0.0.0' });\n",
  );
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: bare, timeoutMs: 300_000 });
  fs.writeFileSync(
    path.join(bare, 'Dockerfile'),
    `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY package.json server.js ./\nCOPY node_modules ./node_modules\nUSER node\nCMD ["node","server.js"]\n`,
  );
  ctx.log('image: building bare Fastify');
  buildImage(bare, 'localhost/twelve-bench-fastify');
  const baseline = summarize([added('localhost/twelve-bench-fastify')]);

  // The Dockerfile requires the commit it bakes into dist/release.json; the bench's app has none ("local").
  const release = { GIT_COMMIT: 'local' };
  ctx.log('image: building the generated API (podman, chroot isolation)');
  buildImage(app.dir, 'localhost/twelve-bench-api', release);
  const ours = summarize([added('localhost/twelve-bench-api')]);
  const answered = runInImage(
    'localhost/twelve-bench-api',
    [
      'node',
      '-e',
      "import('/app/dist/server.js'); setTimeout(async () => { const r = await fetch('http://127.0.0.1:' + process.env.PORT + '/readyz'); console.log('readyz ' + r.status); process.exit(0); }, 3000);",
    ],
    { PORT: '3987', HOST: '127.0.0.1', DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'warn' },
  );
  const runs = /readyz 200/.test(answered)
    ? 'answers /readyz 200 in the container'
    : `did not answer: ${answered.slice(-200)}`;

  // The same app with tracing added: what OpenTelemetry instruments stays external, and the build copies
  // it, with all it loads, into dist/node_modules (the final stage's only node_modules).
  const traced = path.join(tempDir(ctx, 'image-traced'), 'my-api');
  fs.cpSync(app.dir, traced, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
  const { cli } = await oursCli();
  await run(process.execPath, [cli, 'add', 'tracing', '--yes', '--force'], { cwd: traced, timeoutMs: 300_000 });
  ctx.log('image: building the API with tracing');
  buildImage(traced, 'localhost/twelve-bench-api-traced', release);
  const withTracing = summarize([added('localhost/twelve-bench-api-traced')]);
  // Inside that image: the externals resolve from dist/node_modules, the server starts with tracing
  // preloaded, and a request that queries PostgreSQL sends HTTP and pg spans to a receiver in the same
  // process (the image's Procfile command, with the receiver's endpoint set).
  let traces: string;
  try {
    traces = runInImage(
      'localhost/twelve-bench-api-traced',
      [
        'node',
        '--import',
        './dist/tracing.js',
        '--input-type=module',
        '-e',
        [
          "import http from 'node:http';",
          'const scopes = new Set();',
          "http.createServer((req, res) => { let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => { for (const r of JSON.parse(body).resourceSpans) for (const s of r.scopeSpans) scopes.add(s.scope.name); res.end('{}'); }); }).listen(4999, '127.0.0.1');",
          "await import('/app/dist/server.js');",
          'await new Promise((resolve) => setTimeout(resolve, 3000));',
          "const response = await fetch('http://127.0.0.1:' + process.env.PORT + '/notes');",
          'await new Promise((resolve) => setTimeout(resolve, 2000));',
          "console.log('notes ' + response.status + ' spans ' + [...scopes].sort().join(','));",
          'process.exit(0);',
        ].join(' '),
      ],
      {
        PORT: '3988',
        HOST: '127.0.0.1',
        DATABASE_URL: app.databaseUrl,
        LOG_LEVEL: 'warn',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4999',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    );
  } catch (error) {
    traces = String((error as { stderr?: string }).stderr ?? error);
  }
  const tracing =
    /notes 200 spans .*instrumentation-http/.test(traces) && /instrumentation-pg/.test(traces)
      ? 'answers in the container with HTTP and pg spans sent'
      : `did not trace: ${traces.slice(-300)}`;
  for (const tag of [
    'localhost/twelve-bench-fastify',
    'localhost/twelve-bench-api',
    'localhost/twelve-bench-api-traced',
  ])
    removeImage(tag);

  return [
    row(
      '11a',
      'image: MB above the node base (API, error reporting on)',
      ours,
      baseline,
      '≤ 15 (stretch ≤ 5)',
      `podman build --isolation=chroot on a local Debian+Node base; final stage: package.json, dist/, Procfile; ${runs}`,
    ),
    row(
      '11b',
      'image: MB above the node base, with tracing added',
      withTracing,
      baseline,
      '—',
      `final stage: package.json, dist/ with dist/node_modules (the externals OpenTelemetry instruments as they load, and their dependencies), Procfile; ${tracing}`,
    ),
  ];
}
