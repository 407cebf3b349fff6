import { type ParserOptions, parseSync, rawTransferSupported, visitorKeys } from 'oxc-parser';
import { looksLikeSecret, secretKind, URL_PASSWORD } from './secrets.ts';

export { URL_PASSWORD } from './secrets.ts';

/**
 * Facts about an app's own source, gathered in one pass over each file's syntax tree (oxc-parser, which
 * reads JavaScript, TypeScript and JSX alike). Rules judge the facts; nothing here decides a status.
 */
export interface Located {
  file: string;
  line: number;
}

export interface SourceFacts {
  files: number;
  /** App source files too large to parse (searched for credentials only). */
  unparsed: string[];
  parseErrors: Array<Located & { message: string }>;
  /** `process.env.NAME`, `process.env['NAME']`, `const { NAME } = process.env`; optional when a default follows. */
  envReads: Array<Located & { name: string; optional: boolean }>;
  /** `process.env.JWT_SECRET || 'superSecret'`: a committed secret that silently applies. */
  secretFallbacks: Array<Located & { name: string }>;
  /** Config that throws when no .env file exists (dotenv's error rethrown, `readFileSync('.env')`). */
  envFileRequired: Array<Located & { what: string }>;
  /** Job runners and schedulers started in this code (agenda, a BullMQ Worker, node-cron). */
  jobRunners: Array<Located & { what: string }>;
  /** Rate limiters counting in the process's memory. */
  memoryRateLimits: Array<Located & { what: string }>;
  /** `fastify.listen({ port })` without a host: localhost only. */
  localhostListens: Located[];
  /** Module-level caches (`const cache = new Map()`) and fixed temp files that outlive a request. */
  moduleCaches: Array<Located & { what: string }>;
  tmpFiles: Array<Located & { target: string }>;
  /** `process.env` handed over whole (to a schema, a spawn): the names are then declared elsewhere. */
  envWhole: Located[];
  /** UPPER_SNAKE keys of object literals in files that hand `process.env` over whole: a config schema. */
  schemaKeys: Set<string>;
  listens: Located[];
  /** `.listen(3000)`, `.listen({ port: 3000 })`, or a file-level constant holding the number. */
  literalPorts: Array<Located & { port: number }>;
  signalHandlers: Array<Located & { what: string }>;
  credentials: Array<Located & { what: string }>;
  connectionStrings: Array<Located & { scheme: string; fallback: boolean }>;
  fileWrites: Array<Located & { target: string; kind: 'log' | 'pid' | 'upload' | 'other' }>;
  fileTransports: Array<Located & { what: string }>;
  daemons: Array<Located & { what: string; certain: boolean }>;
  memorySessions: Array<Located & { what: string }>;
  diskUploads: Array<Located & { what: string }>;
  imports: Array<Located & { source: string }>;
  /** Objects keyed by environment (`development`, `production`, …) naming a backing service each. */
  environmentConfigs: Array<Located & { services: Record<string, string> }>;
}

export function emptyFacts(): SourceFacts {
  return {
    files: 0,
    unparsed: [],
    parseErrors: [],
    envReads: [],
    secretFallbacks: [],
    envFileRequired: [],
    jobRunners: [],
    memoryRateLimits: [],
    localhostListens: [],
    moduleCaches: [],
    tmpFiles: [],
    envWhole: [],
    schemaKeys: new Set(),
    listens: [],
    literalPorts: [],
    signalHandlers: [],
    credentials: [],
    connectionStrings: [],
    fileWrites: [],
    fileTransports: [],
    daemons: [],
    memorySessions: [],
    diskUploads: [],
    imports: [],
    environmentConfigs: [],
  };
}

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** Tests, fixtures and examples set up their own values and ports on purpose; they are not the app. */
const NOT_APP_DIR = new Set([
  'test',
  'tests',
  '__tests__',
  '__mocks__',
  'fixtures',
  '__fixtures__',
  'e2e',
  'spec',
  'cypress',
  'examples',
  'example',
  'docs',
  'bench',
  'benchmarks',
  'vendor',
]);

export function isAppSource(file: string): boolean {
  if (!SOURCE_EXTENSION.test(file) || /\.d\.[cm]?ts$/.test(file)) return false;
  if (/\.(?:test|spec|bench|stories)\.[^.]+$/.test(file)) return false;
  return inAppDir(file);
}

/** Not under a folder of tests, fixtures, examples or docs. */
export function inAppDir(file: string): boolean {
  return !file
    .split('/')
    .slice(0, -1)
    .some((part) => NOT_APP_DIR.has(part));
}

export const SECRET_NAME =
  /(?:password|passwd|pwd|secret|token|api_?key|private_?key|access_?key|auth_?key|credentials?)$/i;
/** A connection string: a service scheme and at least a host (a bare `rediss://` is a scheme test, not a URL). */
export const SERVICE_URL =
  /^(postgres(?:ql)?|mysql2?|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|nats|kafka):\/\/[^\s/]/i;
const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'fs-extra', 'graceful-fs']);
const WRITE_CALLS = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'outputFile',
  'outputFileSync',
]);
const FILE_LOG_PACKAGES = new Set([
  'winston-daily-rotate-file',
  'rotating-file-stream',
  'file-stream-rotator',
  'pino-roll',
  'log4js-file',
]);
const DAEMON_PACKAGES = new Set(['daemon', 'daemonize2', 'daemonize-process', 'forever-monitor', 'start-stop-daemon']);
const GRACEFUL_PACKAGES = new Set([
  'close-with-grace',
  '@godaddy/terminus',
  'lightship',
  'http-graceful-shutdown',
  '@hapi/hapi',
]);
const SESSION_PACKAGES = new Set(['express-session', '@fastify/session', 'fastify-session']);
const RATE_LIMIT_PACKAGES = new Set(['express-rate-limit', '@fastify/rate-limit', 'rate-limiter-flexible']);
const AGENDA_PACKAGES = new Set(['agenda', '@hokify/agenda']);
const CACHE_PACKAGES = new Set(['lru-cache', 'node-cache', 'memory-cache', 'quick-lru']);
const ENVIRONMENTS = new Set(['development', 'dev', 'local', 'test', 'staging', 'production', 'prod']);

/**
 * Every fact above starts from one of these words in the text (a call, a key, a package name, a literal
 * that opens with a scheme): a file without any cannot yield a fact and is not parsed. On a large tree
 * that is most files (date-fns: 28 of 2,659), and parsing is what costs. Keep it in step with the walk
 * below: `test/unit/check-parts.test.ts` compares the facts of every fixture and template with and without it.
 */
const MAY_HOLD_FACTS = new RegExp(
  [
    'process\\.env',
    '\\.listen\\b',
    'SIGTERM',
    'enableShutdownHooks',
    '\\.start\\(',
    // Literals a fact reads begin with a scheme (connection strings, URLs with a password) or hold a token format.
    '[\'"`][a-z][a-z0-9+.-]*://',
    'AKIA',
    'PRIVATE KEY',
    'gh[pousr]_',
    'sk_live_',
    'xox[abprs]-',
    'AIza',
    // A secret-named key or variable set to a literal.
    '(?:password|passwd|pwd|secret|token|api_?key|private_?key|access_?key|auth_?key|credentials?)[\'"`]?\\s*[:=]\\s*[\'"`]',
    'writeFile',
    'appendFile',
    'createWriteStream',
    'outputFile',
    'readFile',
    '\\.log[\'"`]',
    '\\.pid[\'"`]',
    'pino',
    'winston',
    'log4js',
    'bunyan',
    'transports',
    'appender',
    'rotat',
    'detached',
    'daemon',
    'forever',
    'session',
    'MemoryStore',
    'upload',
    'multer',
    'static',
    'development',
    'production',
    'staging',
    'dev:',
    'prod:',
    'local:',
    'agenda',
    'cron',
    // node-schedule's scheduleJob; node-cron's schedule is found through 'cron'.
    'node-schedule',
    'rate-?limit',
    'cache',
    // A module-level `const memo = new Map()`: a name holding "memo" that is declared, not React's `useMemo(`.
    'memo[\\w$]*\\s*[:=]',
    'lru',
    'shutdown',
    'terminus',
    'lightship',
    'grace',
    'hapi',
    'sentry',
    'bugsnag',
    'rollbar',
    'honeybadger',
    'airbrake',
    'apm',
    'appsignal',
    'raygun',
    'newrelic',
    'dd-trace',
    'datadog',
    'highlight',
    'logtail',
    'dotenv',
  ].join('|'),
  'i',
);
/** A BullMQ file yields a fact only when it starts a Worker (or the old QueueScheduler); most only add jobs to a Queue. */
const BULLMQ = /bullmq/i;
const BULLMQ_RUNNER = /Worker|QueueScheduler/;

export function mayHoldFacts(text: string): boolean {
  return MAY_HOLD_FACTS.test(text) || (BULLMQ.test(text) && BULLMQ_RUNNER.test(text));
}

// Raw transfer hands the tree over in a shared buffer instead of JSON: the same tree, 2–4× faster to
// get on a large repository (measured on date-fns, 2,600 files). Not in the published types yet.
const PARSER_OPTIONS: ParserOptions = {
  sourceType: 'unambiguous',
  ...(rawTransferSupported() ? { experimentalRawTransfer: true } : {}),
};

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Parses one file and adds what it finds to `facts`. */
export function analyzeSource(file: string, text: string, facts: SourceFacts): void {
  facts.files += 1;
  const result = parseSync(file, text, PARSER_OPTIONS);
  const fatal = result.errors.find((error) => error.severity === 'Error');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineAt = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  if (fatal && result.program.body.length === 0) {
    facts.parseErrors.push({ file, line: lineAt(fatal.labels[0]?.start ?? 0), message: fatal.message });
    return;
  }
  const at = (node: Node): Located => ({ file, line: lineAt(node.start) });

  // Local names bound to modules (`fs` → `node:fs`, `diskStorage` → `multer#diskStorage`).
  const bindings = new Map<string, string>();
  const constants = new Map<string, number>();
  const objectKeys: string[] = [];
  /** Literals already reported as a credential through their key, so the value is not reported twice. */
  const reported = new Set<number>();
  let wholeEnv = false;

  const visit = (node: Node, parent: Node | undefined, visitor: (node: Node, parent: Node | undefined) => void) => {
    visitor(node, parent);
    for (const key of visitorKeys[node.type] ?? []) {
      const child = node[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item, node, visitor);
      } else if (isNode(child)) visit(child, node, visitor);
    }
  };
  const program = result.program as unknown as Node;

  // Module bindings and numeric constants are declared at the top level (imports always, requires and
  // `const PORT = 3000` in practice): one pass over the program's statements, before the full walk.
  const imports: Array<Located & { source: string }> = [];
  for (const statement of program.body as Node[]) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' && isNode(statement.declaration) ? statement.declaration : statement;
    if (declaration.type === 'ImportDeclaration') {
      const source = (declaration.source as Node).value as string;
      imports.push({ ...at(declaration), source });
      for (const specifier of declaration.specifiers as Node[]) {
        const local = (specifier.local as Node).name as string;
        const imported = specifier.type === 'ImportSpecifier' ? nameOf(specifier.imported as Node) : undefined;
        bindings.set(local, imported ? `${source}#${imported}` : source);
      }
    } else if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations as Node[]) {
        bind(declarator);
        moduleCache(declarator);
      }
    }
  }

  /** `const cache = new Map()` at the top of a module: it lives as long as the process, shared by every request. */
  function moduleCache(declarator: Node): void {
    if (
      !isNode(declarator.id) ||
      declarator.id.type !== 'Identifier' ||
      !isNode(declarator.init) ||
      declarator.init.type !== 'NewExpression'
    )
      return;
    const name = declarator.id.name as string;
    const className =
      isNode(declarator.init.callee) && declarator.init.callee.type === 'Identifier'
        ? (declarator.init.callee.name as string)
        : '';
    const fromPackage = CACHE_PACKAGES.has((bindings.get(className) ?? '').split('#')[0]!);
    // An empty Map or Set named as a cache; one built from a list is a lookup table, not state.
    const empty = ((declarator.init.arguments as Node[] | undefined) ?? []).length === 0;
    if (fromPackage || (/^(?:Map|Set)$/.test(className) && empty && /cache|memo/i.test(name))) {
      facts.moduleCaches.push({ ...at(declarator), what: `${name} = new ${className}()` });
    }
  }

  // What the file imports decides some facts; bindings are complete after the top-level pass.
  const imported = new Set([...bindings.values()].map((source) => source.split('#')[0]!));
  const fastifyFile = imported.has('fastify');
  const dotenvFile = [...imported].some((source) => /^dotenv(?:-flow|-safe)?(?:\/config)?$/.test(source));
  const agendaFile = [...imported].some((source) => AGENDA_PACKAGES.has(source));

  function bind(declarator: Node): void {
    if (!isNode(declarator.init) || !isNode(declarator.id)) return;
    const required = requireSource(declarator.init);
    if (required !== undefined) {
      if (declarator.id.type === 'Identifier') bindings.set(declarator.id.name as string, required);
      else if (declarator.id.type === 'ObjectPattern') {
        for (const property of declarator.id.properties as Node[]) {
          if (property.type === 'Property' && isNode(property.value) && property.value.type === 'Identifier') {
            bindings.set(property.value.name as string, `${required}#${nameOf(property.key as Node) ?? ''}`);
          }
        }
      }
    }
    const value =
      declarator.init.type === 'Literal' && typeof declarator.init.value === 'number'
        ? declarator.init.value
        : undefined;
    if (value !== undefined && declarator.id.type === 'Identifier') constants.set(declarator.id.name as string, value);
  }

  const moduleOf = (callee: unknown): string | undefined => {
    if (!isNode(callee)) return undefined;
    if (callee.type === 'Identifier') return bindings.get(callee.name as string);
    if (callee.type === 'MemberExpression' && isNode(callee.object)) {
      const base = moduleOf(callee.object);
      const property = nameOf(callee.property as Node);
      return base === undefined ? undefined : `${base.split('#')[0]}#${property ?? ''}`;
    }
    return undefined;
  };
  const calleeName = (callee: unknown): string | undefined => {
    if (!isNode(callee)) return undefined;
    if (callee.type === 'Identifier') return callee.name as string;
    if (callee.type === 'MemberExpression' && !callee.computed) return nameOf(callee.property as Node);
    return undefined;
  };
  const isFsCall = (callee: unknown): boolean => {
    const module = moduleOf(callee)?.split('#')[0];
    if (module !== undefined) return FS_MODULES.has(module);
    // `fs.promises.writeFile`, or a global-looking `fs` the file did not import (CommonJS globals in tests).
    return (
      isNode(callee) &&
      callee.type === 'MemberExpression' &&
      /^(?:fs|fsp|fsPromises|promises)$/.test(calleeName(callee.object) ?? '')
    );
  };

  visit(program, undefined, (node, parent) => {
    switch (node.type) {
      case 'MemberExpression': {
        if (isProcessEnv(node.object)) {
          const name = node.computed ? staticString(node.property) : nameOf(node.property as Node);
          const fallback =
            parent?.type === 'LogicalExpression' &&
            parent.left === node &&
            (parent.operator === '||' || parent.operator === '??')
              ? parent.right
              : undefined;
          if (name !== undefined) facts.envReads.push({ ...at(node), name, optional: fallback !== undefined });
          const literal = staticString(fallback);
          if (name !== undefined && literal !== undefined && literal !== '' && SECRET_NAME.test(name))
            facts.secretFallbacks.push({ ...at(node), name });
        } else if (isProcessEnv(node) && !(parent?.type === 'MemberExpression' && parent.object === node)) {
          if (!(parent?.type === 'VariableDeclarator' && isNode(parent.id) && parent.id.type === 'ObjectPattern')) {
            wholeEnv = true;
            facts.envWhole.push(at(node));
          }
        }
        break;
      }
      case 'VariableDeclarator': {
        if (isProcessEnv(node.init) && isNode(node.id) && node.id.type === 'ObjectPattern') {
          for (const property of node.id.properties as Node[]) {
            const name = property.type === 'Property' ? nameOf(property.key as Node) : undefined;
            const fallback =
              property.type === 'Property' && isNode(property.value) && property.value.type === 'AssignmentPattern'
                ? property.value.right
                : undefined;
            if (name !== undefined) facts.envReads.push({ ...at(property), name, optional: fallback !== undefined });
            const literal = staticString(fallback);
            if (name !== undefined && literal !== undefined && literal !== '' && SECRET_NAME.test(name))
              facts.secretFallbacks.push({ ...at(property), name });
          }
        }
        if (isNode(node.id) && node.id.type === 'Identifier') secretAssignment(node.id.name as string, node.init, node);
        break;
      }
      case 'Property': {
        const key = nameOf(node.key as Node);
        if (key !== undefined) {
          if (parent?.type === 'ObjectExpression') objectKeys.push(key);
          secretAssignment(key, node.value, node);
          const value = staticString(node.value);
          if (
            value !== undefined &&
            /^(?:filename|file|path|destination|dest|logFile|logfile)$/.test(key) &&
            /\.log$/i.test(value)
          ) {
            facts.fileTransports.push({ ...at(node), what: `a log file (${key}: '${value}')` });
          }
          if (value !== undefined && /pid/i.test(key) && /\.pid$/i.test(value))
            facts.fileWrites.push({ ...at(node), target: value, kind: 'pid' });
          if (key === 'uploadDir' && value !== undefined)
            facts.diskUploads.push({ ...at(node), what: `uploadDir '${value}'` });
          if (
            key === 'target' &&
            (value === 'pino/file' || value === 'pino-roll') &&
            parent?.type === 'ObjectExpression'
          ) {
            const destination = (parent.properties as Node[])
              .filter(
                (p) =>
                  p.type === 'Property' &&
                  nameOf(p.key as Node) === 'options' &&
                  isNode(p.value) &&
                  p.value.type === 'ObjectExpression',
              )
              .flatMap((p) =>
                ((p.value as Node).properties as Node[]).filter(
                  (q) => q.type === 'Property' && nameOf(q.key as Node) === 'destination',
                ),
              )
              .map((q) => q.value)[0];
            const literal = isNode(destination) && destination.type === 'Literal' ? destination.value : undefined;
            if (value === 'pino-roll' || (literal !== 1 && literal !== 2 && destination !== undefined)) {
              facts.fileTransports.push({ ...at(node), what: `a pino transport to a file (${value})` });
            }
          }
          if (key === 'type' && value !== undefined && /^(?:file|dateFile|fileSync|multiFile)$/.test(value)) {
            facts.fileTransports.push({ ...at(node), what: `a ${value} appender` });
          }
          if (key === 'detached' && isNode(node.value) && node.value.type === 'Literal' && node.value.value === true) {
            facts.daemons.push({ ...at(node), what: 'a child process started detached', certain: false });
          }
        }
        break;
      }
      case 'AssignmentExpression': {
        if (isNode(node.left) && node.left.type === 'MemberExpression') {
          const name = nameOf(node.left.property as Node);
          if (name !== undefined) secretAssignment(name, node.right, node);
        }
        break;
      }
      case 'ObjectExpression': {
        // Only objects keyed by environment are converted: converting every nested literal is quadratic.
        if (
          !(node.properties as Node[]).some(
            (property) => property.type === 'Property' && ENVIRONMENTS.has(nameOf(property.key as Node) ?? ''),
          )
        )
          break;
        const services = environmentServices(staticValue(node));
        if (services) facts.environmentConfigs.push({ ...at(node), services });
        break;
      }
      case 'Literal':
      case 'TemplateLiteral': {
        const value = staticString(node);
        if (value === undefined) break;
        // The value's shape decides (a token format, a private key, a URL with a password); a literal under
        // a secret-sounding key is judged by secretAssignment, which also weighs its entropy.
        const kind =
          URL_PASSWORD.test(value) ||
          /BEGIN [A-Z ]*PRIVATE KEY|\b(?:AKIA|gh[pousr]_|sk_live_|xox[abprs]-|AIza)/.test(value)
            ? secretKind(value)
            : undefined;
        if (kind !== undefined && !reported.has(node.start)) facts.credentials.push({ ...at(node), what: kind });
        const scheme = SERVICE_URL.exec(value)?.[1];
        if (scheme !== undefined) {
          const fallback = parent?.type === 'LogicalExpression' && parent.right === node;
          facts.connectionStrings.push({ ...at(node), scheme: scheme.toLowerCase(), fallback });
        }
        break;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const required = node.type === 'CallExpression' ? requireSource(node) : undefined;
        if (required !== undefined) imports.push({ ...at(node), source: required });
        callOrNew(node);
        break;
      }
      case 'IfStatement': {
        // `const result = dotenv.config(); if (result.error) throw result.error;`: no .env file, no start.
        const test = node.test;
        if (
          dotenvFile &&
          isNode(test) &&
          test.type === 'MemberExpression' &&
          nameOf(test.property as Node) === 'error' &&
          throws(node.consequent)
        ) {
          facts.envFileRequired.push({ ...at(node), what: "dotenv's missing-file error is thrown" });
        }
        break;
      }
      case 'ImportExpression': {
        const source = staticString(node.source);
        if (source !== undefined) imports.push({ ...at(node), source });
        break;
      }
    }
  });

  facts.imports.push(...imports);
  for (const entry of imports) {
    if (FILE_LOG_PACKAGES.has(entry.source))
      facts.fileTransports.push({ ...entry, what: `${entry.source} (writes log files)` });
    if (DAEMON_PACKAGES.has(entry.source))
      facts.daemons.push({ ...entry, what: `${entry.source} (daemonizes or supervises)`, certain: true });
    if (GRACEFUL_PACKAGES.has(entry.source)) facts.signalHandlers.push({ ...entry, what: entry.source });
  }
  if (wholeEnv)
    for (const key of objectKeys)
      if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{3,}$/.test(key)) facts.schemaKeys.add(key);

  function secretAssignment(name: string, value: unknown, node: Node): void {
    if (!SECRET_NAME.test(name)) return;
    const literal = staticString(value);
    // Judged by the value: enum words, fetch options, endpoint URLs and placeholders are not secrets.
    if (literal === undefined || !looksLikeSecret(literal)) return;
    facts.credentials.push({ ...at(node), what: `${name} set to a literal` });
    if (isNode(value)) reported.add(value.start);
  }

  function callOrNew(node: Node): void {
    const name = calleeName(node.callee);
    const args = (node.arguments as Node[]) ?? [];
    const module = moduleOf(node.callee);
    const first = args[0];
    if (name === 'listen' && isNode(node.callee) && node.callee.type === 'MemberExpression') {
      facts.listens.push(at(node));
      const port = literalPort(first);
      if (port !== undefined && port !== 0) facts.literalPorts.push({ ...at(node), port });
    }
    if (
      (name === 'on' || name === 'once' || name === 'addListener' || name === 'prependListener') &&
      isNode(node.callee)
    ) {
      const target = node.callee.type === 'MemberExpression' ? node.callee.object : undefined;
      if (
        isNode(target) &&
        target.type === 'Identifier' &&
        target.name === 'process' &&
        staticString(first) === 'SIGTERM'
      ) {
        facts.signalHandlers.push({ ...at(node), what: "process.on('SIGTERM')" });
      }
    }
    if (name === 'enableShutdownHooks') facts.signalHandlers.push({ ...at(node), what: 'enableShutdownHooks()' });
    if (name !== undefined && WRITE_CALLS.has(name) && isFsCall(node.callee)) {
      const target = pathText(first);
      // A temp file with a fixed name is shared by every request and outlives each one.
      if (target !== undefined && /^(?:\$TMP|\/tmp)\/[^*]+$/.test(target)) facts.tmpFiles.push({ ...at(node), target });
      if (target !== undefined && !/^\$TMP|^\/(?:tmp|dev)\//.test(target)) {
        const kind = /\.log$|(?:^|\/)logs?\//i.test(target)
          ? 'log'
          : /\.pid$/i.test(target)
            ? 'pid'
            : /upload/i.test(target)
              ? 'upload'
              : 'other';
        facts.fileWrites.push({ ...at(node), target, kind });
      }
    }
    if (
      (name === 'readFileSync' || name === 'readFile') &&
      isFsCall(node.callee) &&
      /(?:^|\/)\.env$/.test(pathText(first) ?? '')
    ) {
      facts.envFileRequired.push({ ...at(node), what: `${name}('${pathText(first)}')` });
    }
    const base = (module ?? '').split('#')[0]!;
    if (name === 'start' && node.type === 'CallExpression' && agendaFile) {
      facts.jobRunners.push({ ...at(node), what: 'agenda.start()' });
    }
    if (node.type === 'NewExpression' && module === 'bullmq#Worker')
      facts.jobRunners.push({ ...at(node), what: 'a BullMQ Worker' });
    if (node.type === 'NewExpression' && (module === 'cron#CronJob' || module === 'bullmq#QueueScheduler'))
      facts.jobRunners.push({ ...at(node), what: `new ${name}()` });
    if (
      (name === 'schedule' && base === 'node-cron') ||
      (name === 'scheduleJob' && base === 'node-schedule') ||
      (name === 'from' && module === 'cron#CronJob')
    ) {
      facts.jobRunners.push({ ...at(node), what: `${base} ${name}()` });
    }
    if (
      node.type === 'CallExpression' &&
      RATE_LIMIT_PACKAGES.has(base) &&
      base !== '@fastify/rate-limit' &&
      !module?.includes('#')
    ) {
      if (!(isNode(first) && first.type === 'ObjectExpression' && propertyValue(first, 'store') !== undefined))
        facts.memoryRateLimits.push({ ...at(node), what: `${base} with its memory store` });
    }
    if (node.type === 'NewExpression' && module === 'rate-limiter-flexible#RateLimiterMemory')
      facts.memoryRateLimits.push({ ...at(node), what: 'RateLimiterMemory' });
    if (registeredModule(first) === '@fastify/rate-limit') {
      const options = args[1];
      if (
        !(
          isNode(options) &&
          options.type === 'ObjectExpression' &&
          (propertyValue(options, 'redis') !== undefined || propertyValue(options, 'store') !== undefined)
        )
      ) {
        facts.memoryRateLimits.push({ ...at(node), what: '@fastify/rate-limit with its memory store' });
      }
    }
    if (
      name === 'listen' &&
      fastifyFile &&
      isNode(first) &&
      first.type === 'ObjectExpression' &&
      propertyValue(first, 'host') === undefined &&
      propertyValue(first, 'path') === undefined
    ) {
      facts.localhostListens.push(at(node));
    }
    if (name === 'destination' && module?.startsWith('pino')) {
      const dest = isNode(first) && first.type === 'ObjectExpression' ? propertyValue(first, 'dest') : first;
      const path = staticString(dest);
      if (path !== undefined) facts.fileTransports.push({ ...at(node), what: `pino.destination('${path}')` });
    }
    if (
      name === 'File' &&
      isNode(node.callee) &&
      node.callee.type === 'MemberExpression' &&
      calleeName(node.callee.object) === 'transports'
    ) {
      facts.fileTransports.push({ ...at(node), what: 'a winston File transport' });
    }
    if (node.type === 'NewExpression' && name === 'MemoryStore')
      facts.memorySessions.push({ ...at(node), what: 'a MemoryStore' });
    const sessionModule = (module ?? '').split('#')[0]!;
    const registered = name === 'register' ? registeredModule(first) : undefined;
    if (SESSION_PACKAGES.has(sessionModule) && node.type === 'CallExpression' && !module?.includes('#')) {
      if (!(isNode(first) && first.type === 'ObjectExpression' && propertyValue(first, 'store') !== undefined)) {
        facts.memorySessions.push({ ...at(node), what: `${sessionModule} without a store (memory)` });
      }
    }
    if (registered !== undefined && SESSION_PACKAGES.has(registered)) {
      const options = args[1];
      if (!(isNode(options) && options.type === 'ObjectExpression' && propertyValue(options, 'store') !== undefined)) {
        facts.memorySessions.push({ ...at(node), what: `${registered} without a store (memory)` });
      }
    }
    // Files written under the app folder and served back from it: uploads kept on local disk.
    if (
      (name === 'static' || base === 'serve-static') &&
      /upload/i.test(staticString(first) ?? pathText(first) ?? '')
    ) {
      facts.diskUploads.push({ ...at(node), what: `uploads served from ${staticString(first) ?? pathText(first)}` });
    }
    if (sessionModule === 'multer') {
      if (module === 'multer#diskStorage') facts.diskUploads.push({ ...at(node), what: 'multer.diskStorage()' });
      else if (
        module === 'multer' &&
        isNode(first) &&
        first.type === 'ObjectExpression' &&
        propertyValue(first, 'dest') !== undefined
      ) {
        facts.diskUploads.push({
          ...at(node),
          what: `multer({ dest: '${staticString(propertyValue(first, 'dest')) ?? '…'}' })`,
        });
      }
    }
  }

  /** The package a `fastify.register(plugin, …)` call registers. */
  function registeredModule(plugin: unknown): string | undefined {
    return isNode(plugin) ? moduleOf(plugin)?.split('#')[0] : undefined;
  }

  function literalPort(node: unknown): number | undefined {
    if (!isNode(node)) return undefined;
    if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
    if (node.type === 'Literal' && typeof node.value === 'string' && /^\d+$/.test(node.value))
      return Number(node.value);
    if (node.type === 'Identifier') return constants.get(node.name as string);
    if (node.type === 'ObjectExpression') return literalPort(propertyValue(node, 'port'));
    return undefined;
  }
}

function throws(node: unknown): boolean {
  if (!isNode(node)) return false;
  if (node.type === 'ThrowStatement') return true;
  return (
    node.type === 'BlockStatement' && (node.body as Node[]).some((statement) => statement.type === 'ThrowStatement')
  );
}

function nameOf(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  return undefined;
}

function isProcessEnv(node: unknown): boolean {
  return (
    isNode(node) &&
    node.type === 'MemberExpression' &&
    !node.computed &&
    isNode(node.object) &&
    node.object.type === 'Identifier' &&
    node.object.name === 'process' &&
    nameOf(node.property as Node) === 'env'
  );
}

function requireSource(node: Node): string | undefined {
  if (
    node.type !== 'CallExpression' ||
    !isNode(node.callee) ||
    node.callee.type !== 'Identifier' ||
    node.callee.name !== 'require'
  )
    return undefined;
  return staticString((node.arguments as Node[])[0]);
}

function staticString(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && (node.expressions as Node[]).length === 0) {
    return ((node.quasis as Node[])[0]?.value as { cooked?: string } | undefined)?.cooked ?? undefined;
  }
  return undefined;
}

function propertyValue(object: Node, key: string): Node | undefined {
  for (const property of object.properties as Node[]) {
    if (property.type === 'Property' && nameOf(property.key as Node) === key && isNode(property.value))
      return property.value;
  }
  return undefined;
}

/**
 * The path a write goes to, as far as it is written in the code: literals kept, anything computed shown
 * as `*`, `os.tmpdir()` as `$TMP`. Undefined when nothing of it is literal.
 */
function pathText(node: unknown): string | undefined {
  const parts = (n: unknown): string[] => {
    if (!isNode(n)) return ['*'];
    const literal = staticString(n);
    if (literal !== undefined) return [literal];
    if (n.type === 'TemplateLiteral') {
      return (n.quasis as Node[]).flatMap((quasi, i) => [
        (quasi.value as { cooked?: string }).cooked ?? '',
        ...(i < (n.expressions as Node[]).length ? ['*'] : []),
      ]);
    }
    if (n.type === 'CallExpression' && isNode(n.callee)) {
      const name = n.callee.type === 'MemberExpression' ? nameOf(n.callee.property as Node) : nameOf(n.callee);
      if (name === 'tmpdir') return ['$TMP'];
      if (name === 'join' || name === 'resolve')
        return (n.arguments as Node[]).flatMap((arg, i) => [...(i > 0 ? ['/'] : []), ...parts(arg)]);
    }
    if (n.type === 'MemberExpression' && /tmp/i.test(nameOf(n.property as Node) ?? '')) return ['$TMP'];
    return ['*'];
  };
  const text = parts(node).join('').replace(/\/+/g, '/');
  return /[^*/]/.test(text.replace(/^\*\/?/, '')) ? text.replace(/^\*\//, '') : undefined;
}

/** An object literal as a plain value where its parts are literals; anything computed is undefined. */
function staticValue(node: unknown): unknown {
  if (!isNode(node)) return undefined;
  if (node.type === 'Literal') return node.value;
  const text = staticString(node);
  if (text !== undefined) return text;
  if (node.type === 'ObjectExpression') {
    const value: Record<string, unknown> = {};
    for (const property of node.properties as Node[]) {
      const key = property.type === 'Property' ? nameOf(property.key as Node) : undefined;
      if (key !== undefined) value[key] = staticValue(property.value);
    }
    return value;
  }
  return undefined;
}

/** The backing service an environment's settings name: `{ client: 'sqlite3' }` → sqlite. */
export function serviceKind(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = value.toLowerCase();
    if (/sqlite|^file:|\.db$|\.sqlite3?$|:memory:/.test(text)) return 'sqlite';
    if (/^(?:pg|postgres|postgresql)(?::|$)/.test(text)) return 'postgres';
    if (/^(?:mysql2?|mariadb)(?::|$)/.test(text)) return 'mysql';
    if (/^(?:mssql|sqlserver|tedious)(?::|$)/.test(text)) return 'mssql';
    if (/^mongo(?:db|ose)?(?:\+srv)?(?::|$)/.test(text)) return 'mongodb';
    if (/^(?:redis|rediss|ioredis)(?::|$)/.test(text)) return 'redis';
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of [
    'client',
    'dialect',
    'driver',
    'adapter',
    'provider',
    'type',
    'url',
    'connectionString',
    'connection',
    'storage',
    'uri',
    'database',
  ]) {
    const kind = serviceKind(record[key]);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** `{ development: { client: 'sqlite3' }, production: { client: 'pg' } }` → `{ development: 'sqlite', production: 'postgres' }`. */
export function environmentServices(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const services: Record<string, string> = {};
  for (const [key, settings] of Object.entries(value as Record<string, unknown>)) {
    if (!ENVIRONMENTS.has(key)) continue;
    const kind = serviceKind(settings);
    if (kind !== undefined) services[key] = kind;
  }
  return Object.keys(services).length >= 2 ? services : undefined;
}
