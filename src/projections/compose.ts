import { stringify } from 'yaml';
import type { AppModel } from '../model/types.ts';
import { APP_PROFILE, composeAppServices, loopbackOnly, TASKS_PROFILE } from './compose-app.ts';

/**
 * `docker-compose.yml`: the app's backing services for local development, same majors as production,
 * and under the `app` profile the app's own processes from its image.
 */
export function renderCompose(model: AppModel): string | undefined {
  const app = composeAppServices(model);
  if (model.services.length === 0 && Object.keys(app).length === 0) return undefined;
  const backing = Object.fromEntries(
    model.services.map((service) => [
      service.name,
      {
        image: service.image,
        ...(service.command ? { command: service.command } : {}),
        ...(Object.keys(service.environment).length > 0 ? { environment: service.environment } : {}),
        ports: service.ports.map(loopbackOnly),
        healthcheck: {
          test: service.healthcheck,
          interval: `${model.facts.serviceHealth.intervalSeconds}s`,
          timeout: `${model.facts.serviceHealth.timeoutSeconds}s`,
          retries: model.facts.serviceHealth.retries,
        },
        ...(service.dataPath ? { volumes: [`${service.name}-data:${service.dataPath}`] } : {}),
      },
    ]),
  );
  const services = { ...backing, ...app };
  const volumes = Object.fromEntries(
    model.services.filter((service) => service.dataPath).map((service) => [`${service.name}-data`, {}]),
  );
  const document = Object.keys(volumes).length > 0 ? { services, volumes } : { services };
  // YAML 1.1 rules when writing, so a value such as `yes` is quoted: Compose's parser would read it as a boolean.
  const header = [
    ...(model.services.length > 0 ? ['# Backing services for local development: docker compose up -d'] : []),
    `# The whole app from its image, release first: docker compose --profile ${APP_PROFILE} up --build`,
    ...(model.deploy.scheduled.length > 0
      ? [`# One scheduled task, from the image: docker compose --profile ${TASKS_PROFILE} run --rm <task-name>`]
      : []),
  ];
  return `${header.join('\n')}\n${stringify(document, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 })}`;
}
