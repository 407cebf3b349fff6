import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

/** 7. The app exports HTTP by binding the port it is given in PORT. */
export function portBinding({ facts, procfile, envExample }: CheckContext): Finding[] {
  const findings = atEach(facts.literalPorts, 'port-binding/port-from-env', (listen) => ({
    severity: 'fail',
    message: `The server listens on a hard-coded port (${listen.port}).`,
    hint: 'Listen on the port from the PORT environment variable (validated, with a default for development).',
  }));
  const web = procfile?.processes.find((process) => process.type === 'web');
  const readsPort =
    facts.envReads.some((read) => read.name === 'PORT') ||
    facts.schemaKeys.has('PORT') ||
    envExample?.names.has('PORT') === true;
  // With a Procfile and no web process, a listener is an auxiliary one (a worker's health probes).
  const serves = web !== undefined || (procfile === undefined && facts.listens.length > 0);
  if (serves && !readsPort && facts.literalPorts.length === 0) {
    findings.push({
      rule: 'port-binding/port-from-env',
      severity: 'warn',
      message: web
        ? 'The Procfile declares a web process, but nothing reads PORT.'
        : 'The app listens on a port, but nothing reads PORT.',
      ...(web
        ? { file: procfile!.file, line: web.line }
        : { file: facts.listens[0]!.file, line: facts.listens[0]!.line }),
      hint: 'Platforms assign the port in PORT: read it from the environment.',
    });
  }
  findings.push(
    ...atEach(facts.localhostListens, 'port-binding/all-interfaces', () => ({
      severity: 'warn',
      message: "Fastify's listen() without a host binds localhost only: in a container nothing outside can reach it.",
      hint: "Pass host: '0.0.0.0' (or a HOST variable defaulting to it): app.listen({ port, host: '0.0.0.0' }).",
    })),
  );
  return findings;
}
