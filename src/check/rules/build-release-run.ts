import type { CheckContext } from '../context.ts';
import { dockerfileFindings, isProductionDockerfile } from '../dockerfile.ts';
import type { Finding } from '../types.ts';

/**
 * 5. A build stage that compiles a commit, a release that adds config, a run stage. Every production
 * Dockerfile is judged here; its findings belong to several factors (root user, PID 1, baked secrets).
 */
export function buildReleaseRun({ repo, procfile, deployFiles }: CheckContext): Finding[] {
  const dockerfiles = repo.files.filter(isProductionDockerfile);
  const findings = dockerfiles.flatMap((file) => dockerfileFindings(file, repo.read(file) ?? ''));
  if (dockerfiles.length === 0 && !procfile && deployFiles.length === 0) {
    findings.push({
      factor: 'build-release-run',
      severity: 'warn',
      message: 'Cannot judge statically: no Dockerfile, Procfile or deploy file says how the app is built and run.',
      hint: 'Add a multi-stage Dockerfile (or a Procfile for a buildpack platform) so every release is built the same way from a commit.',
    });
  }
  const start = repo.packageJson.scripts?.start ?? '';
  if (/\b(?:npm|yarn|pnpm)\s+(?:run\s+)?build\b/.test(start) || /\b(?:ts-node|babel-node)\b/.test(start)) {
    findings.push({
      factor: 'build-release-run',
      severity: 'warn',
      message: `The start script builds or compiles at run time ("${start}").`,
      file: 'package.json',
      hint: 'Build once in the build stage and start the compiled output, so every process of a release runs the same code.',
    });
  }
  return findings;
}
