import { stringify } from 'yaml';
import type { AppModel } from '../model/types.ts';

/** `docker-compose.yml`: the app's backing services for local development, same majors as production. */
export function renderCompose(model: AppModel): string | undefined {
  if (model.services.length === 0) return undefined;
  const services = Object.fromEntries(
    model.services.map((service) => [
      service.name,
      {
        image: service.image,
        ...(service.command ? { command: service.command } : {}),
        ...(Object.keys(service.environment).length > 0 ? { environment: service.environment } : {}),
        ports: service.ports,
        healthcheck: { test: service.healthcheck, interval: '2s', timeout: '5s', retries: 15 },
        ...(service.dataPath ? { volumes: [`${service.name}-data:${service.dataPath}`] } : {}),
      },
    ]),
  );
  const volumes = Object.fromEntries(model.services.filter((service) => service.dataPath).map((service) => [`${service.name}-data`, {}]));
  const document = Object.keys(volumes).length > 0 ? { services, volumes } : { services };
  // YAML 1.1 rules when writing, so a value such as `yes` is quoted: Compose's parser would read it as a boolean.
  return `# Backing services for local development: docker compose up -d\n${stringify(document, { version: '1.1' })}`;
}
