import { parse as parseYaml } from 'yaml';
import type { CheckContext } from '../context.ts';
import { imageKind } from '../context.ts';
import { lineOf } from '../repo.ts';
import { environmentServices } from '../source.ts';
import type { Finding } from '../types.ts';

const SQLITE_DRIVERS = ['sqlite3', 'better-sqlite3', 'sqlite', '@libsql/client'];
const SERVER_DRIVERS: Record<string, string> = {
  pg: 'postgres',
  postgres: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  mssql: 'mssql',
  tedious: 'mssql',
  mongodb: 'mongodb',
  mongoose: 'mongodb',
};
const CONFIG_JSON = /(?:^|\/)(?:config\/(?:config|database|db)\.json|database\.json|ormconfig\.json)$/;

/** 10. The same backing services, at the same versions, in development, CI and production. */
export function devProdParity({ repo, facts, compose }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const mismatch = (services: Record<string, string>) => {
    const dev = services.development ?? services.dev ?? services.local;
    const prod = services.production ?? services.prod ?? services.staging;
    return dev !== undefined && prod !== undefined && dev !== prod ? { dev, prod } : undefined;
  };
  for (const config of facts.environmentConfigs) {
    const found = mismatch(config.services);
    if (found)
      findings.push(
        parity(`development uses ${found.dev} but production uses ${found.prod}`, config.file, config.line),
      );
  }
  for (const file of repo.files.filter((name) => CONFIG_JSON.test(name))) {
    try {
      const services = environmentServices(JSON.parse(repo.read(file) ?? ''));
      const found = services && mismatch(services);
      if (found)
        findings.push(
          parity(
            `development uses ${found.dev} but production uses ${found.prod}`,
            file,
            lineOf(repo.read(file), '"production"'),
          ),
        );
    } catch {
      // Not JSON: nothing to compare.
    }
  }

  // Compose files: the dev file's services against a production file's, by kind and major version.
  const kinds = (production: boolean) =>
    compose
      .filter((file) => file.production === production)
      .flatMap((file) =>
        file.services.flatMap((service) => {
          const kind = service.image ? imageKind(service.image) : undefined;
          return kind ? [{ ...kind, file: file.file, line: service.line }] : [];
        }),
      );
  const dev = kinds(false);
  const prod = kinds(true);
  for (const service of prod) {
    const same = dev.find((candidate) => candidate.kind === service.kind);
    if (same?.major && service.major && same.major !== service.major) {
      findings.push({
        ...parity(
          `${service.kind} ${same.major} in development (${same.file}) but ${service.major} in production`,
          service.file,
          service.line,
        ),
        rule: 'dev-prod-parity/same-versions',
        severity: 'warn',
      });
    }
  }
  // CI service containers against the dev compose file.
  for (const file of repo.files.filter((name) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(name))) {
    const text = repo.read(file) ?? '';
    let workflow: { jobs?: Record<string, { services?: Record<string, { image?: string }> }> } | undefined;
    try {
      workflow = parseYaml(text) as typeof workflow;
    } catch {
      continue;
    }
    for (const job of Object.values(workflow?.jobs ?? {})) {
      for (const service of Object.values(job?.services ?? {})) {
        const kind = service?.image ? imageKind(service.image) : undefined;
        const same = kind && dev.find((candidate) => candidate.kind === kind.kind);
        if (kind && same?.major && kind.major && same.major !== kind.major) {
          findings.push({
            ...parity(
              `CI tests against ${kind.kind} ${kind.major} but development uses ${same.major} (${same.file})`,
              file,
              lineOf(text, service.image!),
            ),
            rule: 'dev-prod-parity/same-versions',
            severity: 'warn',
          });
        } else if (kind && same && kind.major && !same.major) {
          findings.push({
            rule: 'dev-prod-parity/same-versions',
            severity: 'warn',
            message: `CI tests against ${kind.kind} ${kind.major}, but ${same.file} runs an unversioned ${same.kind} image: development gets whatever version is latest.`,
            file: same.file,
            ...(same.line === undefined ? {} : { line: same.line }),
            hint: `Pin the same major version in ${same.file}, e.g. image: ${service.image}.`,
          });
        }
      }
    }
  }

  const deps = { ...repo.packageJson.dependencies, ...repo.packageJson.devDependencies };
  const sqlite = SQLITE_DRIVERS.find((name) => name in deps);
  const server = Object.keys(SERVER_DRIVERS).find((name) => name in (repo.packageJson.dependencies ?? {}));
  if (sqlite && server && findings.length === 0) {
    findings.push({
      ...parity(
        `both ${sqlite} and ${server} are dependencies: SQLite in development and ${SERVER_DRIVERS[server]} in production?`,
        'package.json',
        lineOf(repo.read('package.json'), `"${sqlite}"`),
      ),
      severity: 'warn',
    });
  }
  return findings;
}

function parity(what: string, file: string, line: number | undefined): Finding {
  return {
    rule: 'dev-prod-parity/same-services',
    severity: 'fail',
    message: `Different backing services between environments: ${what}.`,
    file,
    ...(line === undefined ? {} : { line }),
    hint: 'Run the production service (same kind, same major version) locally too, e.g. in docker-compose.yml.',
  };
}
