import { parseEnv } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { type ImageCommand, imageCommand, isBaseImageDockerfile, isProductionDockerfile } from './dockerfile.ts';
import { PARSE_LIMIT, scanForCredentials } from './large-files.ts';
import { lineOf, type Repo } from './repo.ts';
import { analyzeSource, emptyFacts, inAppDir, isAppSource, mayHoldFacts, type SourceFacts } from './source.ts';

/** Everything the rules judge: the repo, the facts from its source, and its declaration files parsed. */
export interface CheckContext {
  repo: Repo;
  facts: SourceFacts;
  procfile: Procfile | undefined;
  envExample: EnvExample | undefined;
  /** Compose files with the services they declare. */
  compose: ComposeFile[];
  /** Other files that declare how the app runs on a platform (fly.toml, render.yaml, Kubernetes …). */
  deployFiles: string[];
  /** The Dockerfiles that build the image that runs, with the command it runs. */
  dockerfiles: Array<{ file: string; command: ImageCommand | undefined }>;
}

export interface Procfile {
  file: string;
  processes: Array<{ type: string; command: string; line: number }>;
}

export interface EnvExample {
  file: string;
  names: Map<string, number>;
}

export interface ComposeFile {
  file: string;
  /** Dev unless its name says production. */
  production: boolean;
  services: Array<{ name: string; image?: string; build: boolean; line?: number }>;
}

const ENV_EXAMPLES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'example.env', '.env.defaults'];
const COMPOSE = /^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/;
const DEPLOY =
  /^(?:fly\.toml|render\.ya?ml|app\.ya?ml|app\.json|railway\.(?:json|toml)|heroku\.yml|ecosystem\.config\.[cm]?js|Chart\.yaml|kustomization\.ya?ml|serverless\.ya?ml|vercel\.json|netlify\.toml|nixpacks\.toml)$/;

export async function buildContext(repo: Repo): Promise<CheckContext> {
  const facts = emptyFacts();
  const large: string[] = [];
  for (const file of repo.files) {
    if (!isAppSource(file)) continue;
    // Over a megabyte is a bundle or generated code: not parsed, but still searched for credentials.
    const size = repo.size(file);
    if (size === undefined || size > PARSE_LIMIT) {
      large.push(file);
      continue;
    }
    const text = repo.readOnce(file);
    if (text !== undefined && mayHoldFacts(text)) analyzeSource(file, text, facts);
  }
  for (const file of large) {
    try {
      facts.credentials.push(...(await scanForCredentials(repo.dir, file)));
    } catch {
      // Gone or unreadable since it was listed: nothing to search.
    }
  }
  facts.unparsed.push(...large);
  // A build script writes its output to disk: that is the build stage's job, not state a process keeps.
  const building = buildScriptFiles(repo);
  facts.fileWrites = facts.fileWrites.filter((write) => !building.has(write.file));
  const compose = repo.files
    .filter((file) => COMPOSE.test(basename(file)))
    .map((file) => readCompose(file, repo.read(file) ?? ''));
  const deployFiles = repo.files.filter((file) => DEPLOY.test(basename(file)) || isKubernetesManifest(file, repo));
  const production = repo.files.filter((file) => isProductionDockerfile(file) && inAppDir(file));
  const dockerfiles = production
    .filter((file) => !isBaseImageDockerfile(file, production))
    .map((file) => ({ file, command: imageCommand(repo.read(file) ?? '') }));
  return {
    repo,
    facts,
    procfile: readProcfile(repo),
    envExample: readEnvExample(repo),
    compose,
    deployFiles,
    dockerfiles,
  };
}

function basename(file: string): string {
  return file.split('/').pop() ?? file;
}

export function readProcfile(repo: Repo): Procfile | undefined {
  const text = repo.read('Procfile');
  if (text === undefined) return undefined;
  const processes = text.split('\n').flatMap((raw, index) => {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(raw.trim());
    return match ? [{ type: match[1]!, command: match[2]!.trim(), line: index + 1 }] : [];
  });
  return { file: 'Procfile', processes };
}

function readEnvExample(repo: Repo): EnvExample | undefined {
  const file = ENV_EXAMPLES.find((name) => repo.read(name) !== undefined);
  if (file === undefined) return undefined;
  const text = repo.read(file)!;
  const names = new Map<string, number>();
  // Node's own dotenv parser decides what is a variable; the line is looked up for the finding.
  for (const name of Object.keys(parseEnv(text)))
    names.set(name, lineOf(text, new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`)) ?? 1);
  return { file, names };
}

function readCompose(file: string, text: string): ComposeFile {
  const production = /prod/i.test(basename(file));
  const services: ComposeFile['services'] = [];
  try {
    for (const document of parseAllDocuments(text)) {
      const value = document.toJS() as { services?: Record<string, { image?: string; build?: unknown }> } | null;
      for (const [name, service] of Object.entries(value?.services ?? {})) {
        const line = lineOf(text, new RegExp(`^\\s{2}${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`));
        services.push({
          name,
          ...(service?.image ? { image: String(service.image) } : {}),
          build: service?.build !== undefined,
          ...(line ? { line } : {}),
        });
      }
    }
  } catch {
    // An unreadable compose file declares nothing; the rules then say what is missing.
  }
  return { file, production, services };
}

function isKubernetesManifest(file: string, repo: Repo): boolean {
  if (!/\.ya?ml$/.test(file) || !/(?:^|\/)(?:k8s|kubernetes|deploy|manifests|helm|charts)\//.test(file)) return false;
  return /^kind:\s*(?:Deployment|StatefulSet|Job|CronJob|DaemonSet)\b/m.test(repo.read(file) ?? '');
}

/** The backing-service kind a container image provides: `postgres:18` → postgres. */
export function imageKind(image: string): { kind: string; major?: string } | undefined {
  const [name = '', tag = ''] = (image.split('/').pop() ?? '').split(':');
  const kinds: Record<string, string> = {
    postgres: 'postgres',
    postgis: 'postgres',
    mysql: 'mysql',
    mariadb: 'mysql',
    mongo: 'mongodb',
    redis: 'redis',
    valkey: 'redis',
    rabbitmq: 'rabbitmq',
    'mssql-server': 'mssql',
    memcached: 'memcached',
    elasticsearch: 'elasticsearch',
  };
  const kind = kinds[name];
  if (!kind) return undefined;
  const major = /^(\d+)/.exec(tag)?.[1];
  return major ? { kind, major } : { kind };
}

/**
 * The source files package.json's build scripts run (`build`, `prebuild`, `postbuild`, `build:*`):
 * `node build.ts` in `"build": "tsc --noEmit && node build.ts"`. They run once, in the build stage.
 */
function buildScriptFiles(repo: Repo): Set<string> {
  let scripts: unknown;
  try {
    scripts = (JSON.parse(repo.read('package.json') ?? '{}') as { scripts?: unknown }).scripts;
  } catch {
    return new Set();
  }
  if (typeof scripts !== 'object' || scripts === null) return new Set();
  const files = new Set(repo.files);
  const found = new Set<string>();
  for (const [name, command] of Object.entries(scripts)) {
    if (!/^(?:pre|post)?build(?::|$)/.test(name) || typeof command !== 'string') continue;
    for (const word of command.split(/[\s;&|()]+/)) {
      const file = word.replace(/^\.\//, '');
      if (files.has(file)) found.add(file);
    }
  }
  return found;
}
