import fs from 'node:fs';
import path from 'node:path';

/**
 * A large app-like tree for `check`'s speed row (9c), generated here rather than copied from another
 * project: the shape issue 16 measured on (a web + worker product of about 3,000 files). An API with
 * domain modules (routes, services, repositories, jobs), a React client, tests beside the code, SQL
 * migrations, locales, static assets, a few vendored minified bundles and a large generated module,
 * a lockfile of some 900 packages. The text is ordinary code: config read through one module, `useMemo`,
 * `cache`, `session`, `upload` words throughout, so the pre-filter lets through what a real app would.
 * Deterministic: the same tree every time, so its figures compare across runs.
 */
export function writeAppTree(root: string): number {
  let count = 0;
  const write = (file: string, text: string) => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    count += 1;
  };
  const domains = DOMAINS.slice(0, 80);
  const dependencies = Object.fromEntries(
    ['fastify', 'pg', 'ioredis', 'bullmq', 'pino', 'react', 'react-dom', 'zod', '@sentry/node'].map((name) => [
      name,
      '1.2.3',
    ]),
  );
  const devDependencies = { typescript: '5.9.3', vite: '7.1.0', '@types/node': '24.3.0' };
  const direct = { ...dependencies, ...devDependencies };
  // The direct dependencies at their exact versions, and some 900 transitive ones.
  const packages = Array.from({ length: 900 }, (_, i) => `pkg-${(i * 7919) % 100_000}`);
  write(
    'package.json',
    `${JSON.stringify(
      {
        name: 'shop-platform',
        version: '3.14.0',
        private: true,
        type: 'module',
        engines: { node: '24.11.1' },
        scripts: {
          build: 'tsc -p tsconfig.build.json && vite build',
          start: 'node dist/server.js',
          worker: 'node dist/worker.js',
          migrate: 'node dist/migrate.js',
          console: 'node dist/console.js',
          test: 'node --test',
        },
        dependencies,
        devDependencies,
      },
      null,
      2,
    )}\n`,
  );
  write(
    'package-lock.json',
    `${JSON.stringify(
      {
        name: 'shop-platform',
        version: '3.14.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'shop-platform', version: '3.14.0', dependencies, devDependencies },
          ...Object.fromEntries(
            Object.entries(direct).map(([name, version]) => [
              `node_modules/${name}`,
              { version, resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz` },
            ]),
          ),
          ...Object.fromEntries(
            packages.map((name, i) => [
              `node_modules/${name}`,
              {
                version: `${i % 9}.${i % 13}.${i % 7}`,
                resolved: `https://registry.npmjs.org/${name}/-/${name}-${i % 9}.${i % 13}.${i % 7}.tgz`,
                integrity: `sha512-${Buffer.from(`${name}:${i}`).toString('base64').padEnd(86, 'A')}==`,
                license: 'MIT',
                dependencies: { [packages[(i + 1) % packages.length]!]: '^1.0.0' },
              },
            ]),
          ),
        },
      },
      null,
      2,
    )}\n`,
  );
  write(
    'Dockerfile',
    'FROM node:24.11.1-bookworm-slim AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM node:24.11.1-bookworm-slim\nWORKDIR /app\nCOPY --from=build /app/dist dist\nCOPY --from=build /app/node_modules node_modules\nUSER node\nCMD ["node", "dist/server.js"]\n',
  );
  write('Procfile', 'web: node dist/server.js\nworker: node dist/worker.js\nrelease: node dist/migrate.js\n');
  write('.gitignore', 'node_modules\ndist\n.env\ncoverage\n');
  write('.dockerignore', 'node_modules\n.git\n.env\n');
  write(
    '.env.example',
    ['PORT=3000', 'DATABASE_URL=postgres://localhost/shop', 'REDIS_URL=redis://localhost:6379', 'SENTRY_DSN=']
      .concat(domains.map((domain) => `${domain.toUpperCase()}_PAGE_SIZE=50`))
      .join('\n')
      .concat('\n'),
  );
  write(
    'compose.yaml',
    'services:\n  postgres:\n    image: postgres:18\n    ports: ["127.0.0.1:5432:5432"]\n  redis:\n    image: redis:8\n    ports: ["127.0.0.1:6379:6379"]\n',
  );
  write('tsconfig.json', '{ "compilerOptions": { "strict": true, "module": "nodenext", "jsx": "react-jsx" } }\n');
  write('README.md', `# Shop platform\n\n${'The shop: an API, a worker and a web client.\n'.repeat(40)}`);
  write(
    'src/config.ts',
    `import { z } from 'zod';\n\nconst schema = z.object({\n  PORT: z.coerce.number().default(3000),\n  DATABASE_URL: z.string().url(),\n  REDIS_URL: z.string().url(),\n  SENTRY_DSN: z.string().optional(),\n${domains.map((d) => `  ${d.toUpperCase()}_PAGE_SIZE: z.coerce.number().default(50),`).join('\n')}\n});\n\nexport const config = schema.parse(process.env);\n`,
  );
  write(
    'src/server.ts',
    `import Fastify from 'fastify';\nimport * as Sentry from '@sentry/node';\nimport { config } from './config.ts';\n${domains.map((d) => `import { ${d}Routes } from './modules/${d}/routes.ts';`).join('\n')}\n\nSentry.init({ dsn: config.SENTRY_DSN });\nconst app = Fastify({ logger: true });\n${domains.map((d) => `app.register(${d}Routes, { prefix: '/${d}' });`).join('\n')}\nawait app.listen({ port: config.PORT, host: '0.0.0.0' });\nprocess.on('SIGTERM', () => void app.close());\n`,
  );
  write(
    'src/worker.ts',
    `import { Worker } from 'bullmq';\nimport { config } from './config.ts';\n${domains.map((d) => `import { ${d}Job } from './modules/${d}/jobs.ts';`).join('\n')}\n\nconst jobs = { ${domains.map((d) => `${d}: ${d}Job`).join(', ')} };\nconst worker = new Worker('default', (job) => jobs[job.name as keyof typeof jobs](job.data), { connection: { url: config.REDIS_URL } });\nprocess.on('SIGTERM', () => void worker.close());\n`,
  );
  write('src/console.ts', "import repl from 'node:repl';\nrepl.start('shop> ');\n");
  write('src/migrate.ts', "import { migrate } from './db.ts';\nawait migrate();\n");
  write(
    'src/db.ts',
    "import pg from 'pg';\nimport { config } from './config.ts';\nexport const pool = new pg.Pool({ connectionString: config.DATABASE_URL });\nexport async function migrate() {}\n",
  );

  // The API: one folder per domain, each with the same files, and a test beside most of them.
  const layers = ['routes', 'service', 'repository', 'schema', 'mapper', 'errors', 'events', 'jobs', 'types', 'index'];
  for (const [d, domain] of domains.entries()) {
    for (const layer of layers) {
      write(`src/modules/${domain}/${layer}.ts`, moduleFile(domain, layer, d));
      if (layer !== 'types' && layer !== 'index')
        write(`src/modules/${domain}/${layer}.test.ts`, testFile(domain, layer));
    }
    for (let n = 0; n < 4; n++)
      write(`migrations/${String(d * 4 + n + 1).padStart(4, '0')}_${domain}_${n}.sql`, sql(domain, n));
    write(`docs/${domain}.md`, `# ${domain}\n\n${`The ${domain} module owns its tables and its jobs.\n`.repeat(30)}`);
  }
  // The client: a folder per feature with components, hooks and styles.
  for (const [f, feature] of FEATURES.entries()) {
    for (let n = 0; n < 14; n++) {
      write(`client/src/features/${feature}/${pascal(feature)}${COMPONENTS[n]}.tsx`, component(feature, n, f));
      if (n % 2 === 0)
        write(`client/src/features/${feature}/${pascal(feature)}${COMPONENTS[n]}.test.tsx`, componentTest(feature, n));
    }
    write(`client/src/features/${feature}/use${pascal(feature)}.ts`, hook(feature));
    write(`client/src/features/${feature}/${feature}.module.css`, css(feature));
    for (let n = 0; n < 4; n++) write(`client/public/icons/${feature}-${n}.svg`, svg(f * 4 + n));
  }
  for (const locale of ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'pt', 'sv', 'ja', 'ko', 'zh']) {
    for (const domain of domains.slice(0, 8))
      write(
        `client/src/locales/${locale}/${domain}.json`,
        `${JSON.stringify(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`${domain}.label${i}`, `${locale} ${domain} label ${i}`])), null, 2)}\n`,
      );
  }
  // What large apps carry: vendored minified bundles and a generated client, too large to parse.
  for (const [name, kb] of [
    ['chart', 420],
    ['editor', 900],
    ['maps', 300],
  ] as const)
    write(`client/public/vendor/${name}.min.js`, minified(name, kb * 1024));
  write('src/generated/api-client.ts', generated(domains, 700 * 1024));
  return count;
}

const DOMAINS = [
  'orders',
  'billing',
  'users',
  'catalog',
  'inventory',
  'shipping',
  'returns',
  'payments',
  'invoices',
  'coupons',
  'reviews',
  'search',
  'carts',
  'wishlists',
  'accounts',
  'addresses',
  'taxes',
  'refunds',
  'vendors',
  'warehouses',
  'suppliers',
  'pricing',
  'promotions',
  'subscriptions',
  'notifications',
  'emails',
  'reports',
  'analytics',
  'audits',
  'sessions',
  'teams',
  'roles',
  'permissions',
  'webhooks',
  'uploads',
  'media',
  'categories',
  'brands',
  'bundles',
  'giftcards',
  'loyalty',
  'referrals',
  'support',
  'tickets',
  'chats',
  'faqs',
  'pages',
  'banners',
  'menus',
  'stores',
  'regions',
  'currencies',
  'rates',
  'carriers',
  'labels',
  'manifests',
  'pickups',
  'routes',
  'drivers',
  'vehicles',
  'schedules',
  'slots',
  'bookings',
  'events',
  'exports',
  'imports',
  'feeds',
  'sitemaps',
  'redirects',
  'settings',
  'flags',
  'experiments',
  'segments',
  'campaigns',
  'ads',
  'affiliates',
  'partners',
  'contracts',
  'quotes',
  'leads',
  'contacts',
  'companies',
  'deals',
  'tasks',
  'notes',
  'files',
  'comments',
  'votes',
  'polls',
  'surveys',
  'forms',
  'fields',
  'rules',
  'workflows',
  'approvals',
  'ledgers',
  'payouts',
  'disputes',
  'chargebacks',
  'fraud',
  'risk',
  'kyc',
  'devices',
  'tokens',
  'keys',
  'quotas',
  'usage',
];
const FEATURES = DOMAINS.slice(0, 40);
const COMPONENTS = [
  'Page',
  'List',
  'Item',
  'Form',
  'Dialog',
  'Table',
  'Row',
  'Filters',
  'Header',
  'Footer',
  'Card',
  'Empty',
  'Error',
  'Skeleton',
];

const pascal = (word: string) => word[0]!.toUpperCase() + word.slice(1);

function moduleFile(domain: string, layer: string, d: number): string {
  const Type = pascal(domain);
  const fields = Array.from(
    { length: 12 },
    (_, i) => `  field${i}: ${i % 3 === 0 ? 'string' : i % 3 === 1 ? 'number' : 'boolean'};`,
  ).join('\n');
  const body: Record<string, string> = {
    routes: `import type { FastifyInstance } from 'fastify';\nimport { ${domain}Service } from './service.ts';\nimport { ${Type}Schema } from './schema.ts';\n\nexport async function ${domain}Routes(app: FastifyInstance) {\n${['get', 'post', 'put', 'delete'].map((verb, i) => `  app.${verb}('/${i ? ':id' : ''}', { schema: { body: ${Type}Schema } }, async (request, reply) => {\n    const result = await ${domain}Service.${verb}${Type}(request.params as { id: string }, request.body);\n    if (!result) return reply.code(404).send({ error: 'not found' });\n    return reply.send(result);\n  });`).join('\n')}\n}\n`,
    service: `import { ${domain}Repository } from './repository.ts';\nimport { ${Type}Error } from './errors.ts';\nimport { publish } from './events.ts';\nimport { config } from '../../config.ts';\n\nexport const ${domain}Service = {\n${['get', 'post', 'put', 'delete'].map((verb) => `  async ${verb}${Type}(params: { id?: string }, body: unknown) {\n    const pageSize = config.${domain.toUpperCase()}_PAGE_SIZE;\n    const rows = await ${domain}Repository.find(params.id, pageSize);\n    if (rows.length === 0 && '${verb}' !== 'post') throw new ${Type}Error('no ${domain} ' + params.id);\n    await publish('${domain}.${verb}', { id: params.id, body });\n    return rows.map((row) => ({ ...row, kind: '${domain}' }));\n  },`).join('\n')}\n};\n`,
    repository: `import { pool } from '../../db.ts';\nimport type { ${Type} } from './types.ts';\n\nexport const ${domain}Repository = {\n  async find(id: string | undefined, limit: number): Promise<${Type}[]> {\n    const { rows } = await pool.query('select * from ${domain} where ($1::text is null or id = $1) order by created_at desc limit $2', [id ?? null, limit]);\n    return rows as ${Type}[];\n  },\n  async insert(value: ${Type}) {\n    await pool.query('insert into ${domain} (${Array.from({ length: 12 }, (_, i) => `field${i}`).join(', ')}) values (${Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ')})', Object.values(value));\n  },\n};\n`,
    schema: `import { z } from 'zod';\n\nexport const ${Type}Schema = z.object({\n${Array.from({ length: 12 }, (_, i) => `  field${i}: z.${i % 3 === 0 ? 'string().min(1)' : i % 3 === 1 ? 'number().int()' : 'boolean()'},`).join('\n')}\n});\n`,
    mapper: `import type { ${Type} } from './types.ts';\n\nexport function to${Type}Dto(value: ${Type}) {\n  return {\n${Array.from({ length: 12 }, (_, i) => `    field${i}: value.field${i},`).join('\n')}\n  };\n}\n\nexport function from${Type}Dto(dto: Record<string, unknown>): ${Type} {\n  return dto as unknown as ${Type};\n}\n`,
    errors: `export class ${Type}Error extends Error {\n  readonly status = 404;\n  constructor(message: string) {\n    super(message);\n    this.name = '${Type}Error';\n  }\n}\n`,
    events: `import { Queue } from 'bullmq';\nimport { config } from '../../config.ts';\n\nconst queue = new Queue('${domain}', { connection: { url: config.REDIS_URL } });\n\nexport async function publish(name: string, data: unknown) {\n  await queue.add(name, data, { removeOnComplete: true });\n}\n`,
    jobs: `import { ${domain}Repository } from './repository.ts';\n\nexport async function ${domain}Job(data: { id?: string }) {\n  const rows = await ${domain}Repository.find(data.id, 100);\n  for (const row of rows) {\n    // Recompute the ${domain} totals every night (the schedule lives in the platform's scheduler).\n    void row;\n  }\n}\n`,
    types: `export interface ${Type} {\n${fields}\n}\n`,
    index: `export * from './routes.ts';\nexport * from './service.ts';\nexport * from './types.ts';\nexport const ${domain}Order = ${d};\n`,
  };
  return body[layer]!;
}

function testFile(domain: string, layer: string): string {
  return `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport * as subject from './${layer}.ts';\n\n${Array.from({ length: 6 }, (_, i) => `test('${domain} ${layer} case ${i}', () => {\n  assert.ok(subject);\n  assert.equal(typeof subject, 'object');\n});`).join('\n\n')}\n`;
}

function sql(domain: string, n: number): string {
  return n === 0
    ? `create table ${domain} (\n  id uuid primary key default gen_random_uuid(),\n${Array.from({ length: 12 }, (_, i) => `  field${i} ${i % 3 === 0 ? 'text' : i % 3 === 1 ? 'integer' : 'boolean'} not null,`).join('\n')}\n  created_at timestamptz not null default now()\n);\n`
    : `alter table ${domain} add column extra${n} text;\ncreate index ${domain}_extra${n} on ${domain} (extra${n});\n`;
}

function component(feature: string, n: number, f: number): string {
  const Name = `${pascal(feature)}${COMPONENTS[n]}`;
  return `import { useMemo, useState } from 'react';\nimport styles from './${feature}.module.css';\nimport { use${pascal(feature)} } from './use${pascal(feature)}.ts';\n\nexport interface ${Name}Props {\n  id?: string;\n  title: string;\n  onSelect?: (id: string) => void;\n}\n\nexport function ${Name}({ id, title, onSelect }: ${Name}Props) {\n  const { items, loading } = use${pascal(feature)}(id);\n  const [query, setQuery] = useState('');\n  const visible = useMemo(() => items.filter((item) => item.name.toLowerCase().includes(query.toLowerCase())), [items, query]);\n  if (loading) return <div className={styles.skeleton} aria-busy="true" />;\n  return (\n    <section className={styles.${COMPONENTS[n]!.toLowerCase()}} data-feature="${feature}" data-index={${f}}>\n      <h2>{title}</h2>\n      <input value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Search ${feature}" />\n      <ul>\n        {visible.map((item) => (\n          <li key={item.id}>\n            <button type="button" onClick={() => onSelect?.(item.id)}>{item.name}</button>\n          </li>\n        ))}\n      </ul>\n    </section>\n  );\n}\n`;
}

function componentTest(feature: string, n: number): string {
  const Name = `${pascal(feature)}${COMPONENTS[n]}`;
  return `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { ${Name} } from './${Name}.tsx';\n\ntest('${Name} renders', () => {\n  assert.equal(typeof ${Name}, 'function');\n});\n`;
}

function hook(feature: string): string {
  return `import { useEffect, useState } from 'react';\n\nexport function use${pascal(feature)}(id?: string) {\n  const [items, setItems] = useState<Array<{ id: string; name: string }>>([]);\n  const [loading, setLoading] = useState(true);\n  useEffect(() => {\n    const controller = new AbortController();\n    fetch('/api/${feature}' + (id ? '/' + id : ''), { signal: controller.signal, credentials: 'same-origin' })\n      .then((response) => response.json())\n      .then((body) => setItems(body))\n      .finally(() => setLoading(false));\n    return () => controller.abort();\n  }, [id]);\n  return { items, loading };\n}\n`;
}

function css(feature: string): string {
  return COMPONENTS.map(
    (name, i) =>
      `.${name.toLowerCase()} {\n  display: grid;\n  gap: ${i + 2}px;\n  padding: ${i}px ${i * 2}px;\n  --${feature}-accent: hsl(${i * 25} 60% 50%);\n}\n`,
  ).join('\n');
}

function svg(n: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M${n % 24} 2L${(n * 3) % 24} 22L2 ${(n * 5) % 24}Z" fill="currentColor"/></svg>\n`;
}

/** One long line, as minified bundles are: short names, no newlines. */
function minified(name: string, bytes: number): string {
  const parts: string[] = [`/*! ${name} v1.0.0 | MIT */!function(e,t){"use strict";`];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const part = `var a${i}=function(n){return n&&n.__esModule?n:{default:n}}(t[${i % 97}]),b${i}=e.cache${i % 5}||{};a${i}.default.session=b${i};`;
    parts.push(part);
    size += part.length;
  }
  parts.push('}(window,[]);\n');
  return parts.join('');
}

/** A generated API client: thousands of short, regular lines. */
function generated(domains: readonly string[], bytes: number): string {
  const parts: string[] = ['// Generated by the API client generator. Do not edit.\n'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const domain = domains[i % domains.length]!;
    const part = `export async function ${domain}Operation${i}(body: unknown, init?: RequestInit): Promise<Response> {\n  return fetch(\`/api/${domain}/op${i}\`, { method: 'POST', body: JSON.stringify(body), ...init });\n}\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}
