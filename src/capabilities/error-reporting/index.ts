import type { AppModel, AppSpec, ConfigVar, Contribution } from '../../model/types.ts';
import { defineCapability, type KindTraits } from '../types.ts';
import { browserDependencies, dependencies } from './versions.ts';

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

function contribute(_spec: AppSpec, { kind }: KindTraits): Contribution {
  // The client's pages report their own errors from the browser, to a DSN /config.json serves.
  const browser = kind === 'client';
  return {
    dependencies,
    ...(browser ? { devDependencies: browserDependencies } : {}),
    config: [
      {
        name: 'SENTRY_DSN',
        description: 'Where errors are reported (a Sentry DSN); empty: error reporting is off and nothing is sent.',
        example: '',
        default: '',
        secret: true,
        schema: "z.union([z.url({ protocol: /^https?$/ }), z.literal('')])",
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
        schema: 'z.string().check(z.regex(/^[^\\s/]{1,64}$/))',
        type: 'string',
        error: 'must be 1 to 64 characters without spaces or slashes',
        invalid: 'my env',
        // The page files its errors under the same environment as its server.
        ...(browser ? { public: true } : {}),
        // Staging's errors are filed as `staging`, not under the default `production`.
        environmentName: true,
      },
      ...(browser ? [BROWSER_DSN] : []),
    ],
    templateDirs: ['error-reporting', ...(browser ? ['error-reporting-client'] : [])],
    readme,
  };
}

/**
 * The pages' own DSN, not SENTRY_DSN: a browser DSN is public by design (every visitor reads it), while
 * SENTRY_DSN is a secret of the server (docs/decisions.md, issue 18). Served at /config.json.
 */
const BROWSER_DSN: ConfigVar = {
  name: 'SENTRY_BROWSER_DSN',
  description:
    'Where the pages report their errors (a Sentry DSN, public: served to every browser at /config.json); empty: the browser reports nothing and never loads the SDK.',
  example: '',
  default: '',
  secret: false,
  public: true,
  schema: "z.union([z.url({ protocol: /^https?$/ }), z.literal('')])",
  type: 'string',
  error: 'must be an http:// or https:// URL (a Sentry DSN)',
  invalid: 'sentry.internal/1',
};

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
${model.kind === 'client' ? browserReadme : ''}`;
}

const browserReadme = `
The pages report their own errors from the browser (\`client/report.tsx\`, @sentry/react) once
\`SENTRY_BROWSER_DSN\` is set: uncaught errors, unhandled rejections and render errors (an error boundary
shows a short message instead of a blank page), with the server's release and \`SENTRY_ENVIRONMENT\`, all
three served at \`/config.json\`. It is a variable of its own, not \`SENTRY_DSN\`: a browser DSN is public
(every visitor can read it), so give the pages their own Sentry project, which you can rate-limit and
rotate apart from the server's. Without it the SDK is never downloaded.
`;
