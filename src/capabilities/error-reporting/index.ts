import type { AppModel, Contribution } from '../../model/types.ts';
import { defineCapability } from '../types.ts';
import { dependencies } from './versions.ts';

/**
 * Error reporting to Sentry (or anything that speaks its protocol), attached by a URL like any backing
 * service: `SENTRY_DSN`. The SDK is @sentry/node-core's light mode: errors only, no OpenTelemetry
 * tracing of its own (docs/decisions.md has the measurements behind that choice).
 */
export const errorReporting = defineCapability({
  id: 'error-reporting',
  help: 'error reporting to Sentry (SENTRY_DSN)',
  requires: [],
  kinds: ['api', 'worker', 'client'],
  chosenBy: {
    option: 'error-reporting',
    value: 'sentry',
    label: 'Sentry, or any service that speaks its protocol (SENTRY_DSN)',
  },
  contribute,
});

function contribute(): Contribution {
  return {
    dependencies,
    config: [
      {
        name: 'SENTRY_DSN',
        description: 'Where errors are reported (a Sentry DSN); empty: error reporting is off and nothing is sent.',
        example: '',
        default: '',
        secret: true,
        schema: "z.url({ protocol: /^https?$/ }).or(z.literal(''))",
        type: 'string',
        error: 'must be an http:// or https:// URL (a Sentry DSN)',
        invalid: 'sentry.internal/1',
        unreachable: 'http://public@127.0.0.1:1/1',
        // Off is a choice for development and staging; production without a DSN would lose its errors unseen.
        requiredIn: ['production'],
      },
      {
        name: 'SENTRY_ENVIRONMENT',
        description: 'The environment errors are filed under (production, staging, …).',
        example: 'development',
        default: 'production',
        secret: false,
        schema: 'z.string().regex(/^[^\\s/]{1,64}$/)',
        type: 'string',
        error: 'must be 1 to 64 characters without spaces or slashes',
        invalid: 'my env',
        // Staging's errors are filed as `staging`, not under the default `production`.
        environmentName: true,
      },
    ],
    templateDirs: ['error-reporting'],
    readme,
  };
}

function readme(model: AppModel): string {
  const jobs = model.features.worker ? ', a job that failed for good (tagged `jobId`)' : '';
  return `### Error reporting

\`src/report.ts\` sends unhandled errors to Sentry (or any service that speaks its protocol) once
\`SENTRY_DSN\` is set; without it nothing is sent and startup logs \`error reporting off\`. Reported: a
route's unhandled error (tagged \`requestId\`), an unhandled rejection or uncaught exception (sent before
the process exits 1)${jobs}. The log line of each
carries \`errorReportId\`, the report's id. Credential headers, cookies and the values of secret variables
never leave the process (\`src/scrub.ts\`). Each report names the release the build wrote into
\`dist/release.json\`, \`<name>@<version>+<commit>\` (the Docker build takes the commit from \`GIT_COMMIT\`).
`;
}
