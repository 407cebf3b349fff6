import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

/** Error-reporting SDKs, by the package (or scope) the app's code imports. */
const REPORTING_SDK =
  /^(?:@sentry\/|@bugsnag\/|rollbar$|@honeybadger-io\/|@airbrake\/|elastic-apm-node|@appsignal\/|raygun|newrelic$|dd-trace$|@datadog\/|@highlight-run\/|@logtail\/|@rollbar\/)/;
/** Variables that configure one: a DSN, an API key of a known service. */
const REPORTING_VARIABLE = /(?:^|_)DSN$|^(?:BUGSNAG|ROLLBAR|HONEYBADGER|AIRBRAKE|RAYGUN|APPSIGNAL|NEW_RELIC)_/;

/** 11. Logs are an event stream on stdout; errors also reach an error-reporting service. */
export function logs({ facts, procfile, envExample, dockerfiles }: CheckContext): Finding[] {
  const findings = [
    ...atEach(facts.fileTransports, 'logs/stdout', (transport) => ({
      severity: 'fail',
      message: `Logging is configured to write to a file: ${transport.what}.`,
      hint: 'Log one event per line to stdout and let the platform route and store it.',
    })),
    ...atEach(
      facts.fileWrites.filter((write) => write.kind === 'log'),
      'logs/stdout',
      (write) => ({
        severity: 'fail',
        message: `The app writes a log file (${write.target}).`,
        hint: "Write log events to stdout instead; storage and rotation are the platform's job.",
      }),
    ),
  ] satisfies Finding[];
  // The checklist's factor XI: "at the very least, capture errors and send them to an error reporting service".
  const longRunning =
    (procfile?.processes.some((process) => process.type !== 'release') ?? false) ||
    facts.listens.length > 0 ||
    dockerfiles.some((docker) => docker.command);
  const sdk = facts.imports.some((entry) => REPORTING_SDK.test(entry.source));
  // A DSN variable with no SDK imported is configuration nothing uses (error reporting replaced by no-ops).
  const variable = [
    ...facts.envReads.map((read) => read.name),
    ...facts.schemaKeys,
    ...(envExample?.names.keys() ?? []),
  ].find((name) => REPORTING_VARIABLE.test(name));
  if (longRunning && !sdk) {
    findings.push({
      rule: 'logs/error-reporting',
      severity: 'warn',
      message: variable
        ? `${variable} is configured, but no error-reporting SDK is imported: errors are only in the log stream, where nobody is alerted.`
        : 'No error-reporting SDK is imported and no DSN variable is read: errors are only in the log stream, where nobody is alerted.',
      ...(procfile ? { file: procfile.file } : {}),
      hint: 'Report errors to a service (e.g. @sentry/node with SENTRY_DSN): create-twelve-app add error-reporting does it for generated apps.',
    });
  }
  return findings;
}
