import type { CheckContext } from '../context.ts';
import { dockerfileFindings } from '../dockerfile.ts';
import type { Finding } from '../types.ts';

/** A start command that compiles (tsc, ts-node, babel-node, a build script) or watches (nodemon, --watch). */
const RUNTIME_BUILD =
  /\b(?:npm|yarn|pnpm)\s+(?:run\s+)?build\b|(?:^|[\s;&|])(?:tsc|ts-node(?:-dev)?|babel-node|nodemon|tsx\s+watch|webpack)\b|\bnode\s+(?:.*\s)?--watch\b/;

/**
 * 5. A build stage that compiles a commit, a release that adds config, a run stage. Every Dockerfile of
 * the image that runs is judged here; its findings belong to several factors (root user, PID 1, secrets).
 */
export function buildReleaseRun({ repo, procfile, deployFiles, dockerfiles }: CheckContext): Finding[] {
  const findings = dockerfiles.flatMap(({ file }) => dockerfileFindings(file, repo.read(file) ?? ''));
  if (dockerfiles.length === 0 && !procfile && deployFiles.length === 0) {
    findings.push({
      rule: 'build-release-run/declared-build',
      severity: 'warn',
      message: 'Cannot judge statically: no Dockerfile, Procfile or deploy file says how the app is built and run.',
      hint: 'Add a multi-stage Dockerfile (or a Procfile for a buildpack platform) so every release is built the same way from a commit.',
    });
  }
  const starts = [
    ...Object.entries(repo.packageJson.scripts ?? {})
      .filter(([name]) => name === 'start')
      .map(([, command]) => ({
        what: 'The start script',
        command,
        file: 'package.json',
        line: undefined as number | undefined,
      })),
    ...(procfile?.processes ?? []).map((process) => ({
      what: `The Procfile's ${process.type} process`,
      command: process.command,
      file: procfile!.file,
      line: process.line as number | undefined,
    })),
  ];
  for (const { what, command, file, line } of starts) {
    if (!RUNTIME_BUILD.test(command)) continue;
    findings.push({
      rule: 'build-release-run/no-runtime-build',
      severity: 'fail',
      message: `${what} compiles or watches at run time ("${command}"): every start rebuilds, so processes of one release may run different code.`,
      file,
      ...(line === undefined ? {} : { line }),
      hint: 'Build once in the build stage (npm run build) and start the compiled output: "start": "node dist/server.js".',
    });
  }
  return findings;
}
