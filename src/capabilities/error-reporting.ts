import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';

/**
 * Error reporting to Sentry (or anything that speaks its protocol), attached by a URL like any backing
 * service: `SENTRY_DSN`. The SDK is @sentry/node-core's light mode: errors only, no OpenTelemetry
 * tracing of its own (docs/decisions.md has the measurements behind that choice).
 */
export function errorReporting(_spec: AppSpec): Contribution {
  return {
    dependencies: pinned('@sentry/node-core'),
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
      },
    ],
    // A release identifies code, not config: written into dist/ by the build, never read from the environment.
    buildSteps: ['node src/release.ts'],
    templateDirs: ['error-reporting'],
  };
}
