import { DockerfileParser, PropertyInstruction } from 'dockerfile-ast';
import { looksLikeSecret } from './secrets.ts';
import { SECRET_NAME, URL_PASSWORD } from './source.ts';
import type { Finding } from './types.ts';

/**
 * Files that build a production image; `Dockerfile.dev`, `.gitpod.Dockerfile` and devcontainer images
 * are for development only.
 */
export function isProductionDockerfile(file: string): boolean {
  const base = file.split('/').pop() ?? '';
  if (/(?:^|[.-])(?:dev|development|local|test|gitpod)(?:[.-]|$)/i.test(base)) return false;
  if (/(?:^|\/)\.devcontainer\//.test(file)) return false;
  // A template that renders a Dockerfile (Dockerfile.ejs) is not one yet.
  if (/\.(?:ejs|hbs|handlebars|mustache|njk|j2|jinja2?|tpl|tmpl|template|liquid)$/i.test(base)) return false;
  // Nor is code about Dockerfiles (dockerfile.ts) or its docs.
  if (/\.(?:[cm]?[jt]sx?|json|md|txt|ya?ml)$/i.test(base)) return false;
  return /^(?:Dockerfile|Containerfile)(?:\.[\w-]+)?$|\.(?:Dockerfile|Containerfile)$/i.test(base);
}

/**
 * A Dockerfile that only builds a base for the others (`Dockerfile.base`, `Dockerfile.builder`) when
 * another production Dockerfile exists: the image that runs is the one built FROM it.
 */
export function isBaseImageDockerfile(file: string, others: readonly string[]): boolean {
  const base = file.split('/').pop() ?? '';
  return (
    /(?:^|[.-])(?:base|builder|deps)(?:[.-]|$)/i.test(base.replace(/^(?:Dockerfile|Containerfile)/i, '')) &&
    others.some((other) => other !== file)
  );
}

/** Judges one Dockerfile with a real parser (dockerfile-ast): stages, user, entry command, secrets. */
export function dockerfileFindings(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const line = (instruction: { getRange(): { start: { line: number } } }) => instruction.getRange().start.line + 1;
  if (froms.length === 0) return findings;
  const finalStart = froms[froms.length - 1]!.getRange().start.line;
  const finalStage = instructions.filter((instruction) => instruction.getRange().start.line >= finalStart);

  const stageNames = new Set(froms.map((from) => from.getBuildStage()?.toLowerCase()).filter(Boolean));
  for (const from of froms) {
    const image = from.getImage() ?? '';
    if (
      !image ||
      image === 'scratch' ||
      image.includes('$') ||
      stageNames.has(image.toLowerCase()) ||
      image.includes('@sha256:')
    )
      continue;
    const tag = from.getImageTag() ?? undefined;
    if (tag === undefined || !/^v?\d/.test(tag)) {
      findings.push({
        rule: 'dependencies/base-image',
        severity: 'fail',
        message: `FROM ${image} is a moving base image (${tag === undefined ? 'no tag, so latest' : `the tag ${tag} follows new releases`}): every build may get another Node.js and OS.`,
        file,
        line: line(from),
        hint: `Pin a versioned tag, e.g. ${from.getImageName() ?? 'node'}:24-slim or an exact 24.x.y tag (or a digest).`,
      });
    }
  }
  for (const instruction of instructions) {
    if (instruction.getKeyword() !== 'RUN') continue;
    const loose = looseInstall(instruction.getArgumentsContent() ?? '');
    if (loose) {
      findings.push({
        rule: 'dependencies/frozen-install',
        severity: 'fail',
        message: `RUN ${loose} resolves versions afresh instead of installing the lockfile's.`,
        file,
        line: line(instruction),
        hint: 'Use the frozen install: npm ci (yarn install --immutable, pnpm install --frozen-lockfile).',
      });
    }
  }

  if (froms.length === 1) {
    findings.push({
      rule: 'build-release-run/multi-stage-image',
      severity: 'warn',
      message: 'The Dockerfile has one stage, so the build tools and dev dependencies ship in the image that runs.',
      file,
      line: line(froms[0]!),
      hint: 'Build in a first stage (FROM … AS build) and copy only the output and production dependencies into the final one.',
    });
  }

  const user = finalStage.filter((instruction) => instruction.getKeyword() === 'USER').pop();
  const userName = user?.getArgumentsContent()?.trim().split(':')[0];
  if (!user || userName === 'root' || userName === '0') {
    findings.push({
      rule: 'build-release-run/non-root-user',
      severity: 'fail',
      message: user
        ? 'The image runs its process as root (USER root).'
        : 'The final stage has no USER, so the process runs as root.',
      file,
      line: user ? line(user) : line(froms[froms.length - 1]!),
      hint: 'Add `USER node` (the official Node.js images ship that unprivileged user) before CMD.',
    });
  }

  const entry = [...finalStage].reverse().find((instruction) => instruction.getKeyword() === 'ENTRYPOINT');
  const cmd = [...finalStage].reverse().find((instruction) => instruction.getKeyword() === 'CMD');
  if (!entry && !cmd) {
    findings.push({
      rule: 'build-release-run/image-command',
      severity: 'fail',
      message: 'The final stage has no CMD or ENTRYPOINT: the image does not say which process it runs.',
      file,
      line: line(froms[froms.length - 1]!),
      hint: 'End the final stage with the exec form, e.g. CMD ["node", "dist/server.js"].',
    });
  }
  for (const instruction of [entry, cmd]) {
    if (!instruction) continue;
    const args = instruction.getArgumentsContent()?.trim() ?? '';
    const keyword = instruction.getKeyword();
    const exec = args.startsWith('[');
    const words = exec ? parseExec(args) : args.split(/\s+/);
    if (!exec) {
      findings.push({
        rule: 'disposability/signals-reach-app',
        severity: 'fail',
        message: `${keyword} uses the shell form, so /bin/sh is PID 1 and SIGTERM never reaches the app.`,
        file,
        line: line(instruction),
        hint: `Use the exec form: ${keyword} ${JSON.stringify(words.filter(Boolean))}.`,
      });
    }
    // With an ENTRYPOINT, CMD only supplies its arguments; judge the command that actually runs first.
    if (instruction === cmd && entry) continue;
    const program = words[0] ?? '';
    if (/^(?:npm|yarn|pnpm|npx)$/.test(program)) {
      findings.push({
        rule: 'disposability/signals-reach-app',
        severity: 'fail',
        message: `${keyword} runs \`${words.join(' ')}\`: the package manager is PID 1 and does not pass SIGTERM on reliably.`,
        file,
        line: line(instruction),
        hint: 'Run node directly, e.g. CMD ["node", "dist/server.js"].',
      });
    }
  }

  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if ((keyword !== 'ENV' && keyword !== 'ARG') || !(instruction instanceof PropertyInstruction)) continue;
    for (const property of instruction.getProperties()) {
      const name = property.getName();
      const value = property.getValue() ?? '';
      const literal = value !== '' && !value.startsWith('$');
      if ((SECRET_NAME.test(name) && literal && looksLikeSecret(value)) || URL_PASSWORD.test(value)) {
        findings.push({
          rule: 'config/image-secret',
          severity: 'fail',
          message: `${keyword} ${name} bakes a credential into the image.`,
          file,
          line: line(instruction),
          hint: 'Pass secrets at run time through the environment (or a build secret: RUN --mount=type=secret), never in ENV or ARG.',
        });
      }
    }
  }

  for (const instruction of instructions) {
    if (instruction.getKeyword() !== 'COPY' && instruction.getKeyword() !== 'ADD') continue;
    const sources = (instruction.getArgumentsContent() ?? '')
      .split(/\s+/)
      .filter((word) => !word.startsWith('--'))
      .slice(0, -1);
    const env = sources.find((source) => /(?:^|\/)\.env(?:\.(?!example|sample|template)[\w.-]+)?$/.test(source));
    if (env) {
      findings.push({
        rule: 'config/image-secret',
        severity: 'fail',
        message: `${instruction.getKeyword()} ${env} copies an env file into the image.`,
        file,
        line: line(instruction),
        hint: 'Config comes from the environment at run time; remove it and list .env in .dockerignore.',
      });
    }
  }

  for (const instruction of finalStage) {
    if (instruction.getKeyword() !== 'VOLUME') continue;
    findings.push({
      rule: 'processes/no-local-storage',
      severity: 'warn',
      message: `VOLUME ${instruction.getArgumentsContent() ?? ''} keeps state on the container's disk.`,
      file,
      line: line(instruction),
      hint: 'Keep persistent data in a backing service (a database, object storage), not in the process.',
    });
  }
  return findings;
}

function parseExec(args: string): string[] {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) ? parsed.map(String) : [args];
  } catch {
    return [args];
  }
}

/** The images a Dockerfile is based on, for dev/prod parity. */
export function dockerfileImages(text: string): string[] {
  return DockerfileParser.parse(text)
    .getFROMs()
    .map((from) => from.getImage() ?? '')
    .filter(Boolean);
}

/** `npm install` (or `yarn install`, `pnpm install`) of the whole manifest without its frozen mode. */
export function looseInstall(run: string): string | undefined {
  for (const part of run.split(/&&|\|\||;|\n/)) {
    const words = part
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '\\');
    const [tool, verb, ...rest] = words;
    const flagsOnly = rest.every((word) => word.startsWith('-'));
    if (
      tool === 'npm' &&
      (verb === 'install' || verb === 'i') &&
      flagsOnly &&
      !rest.some((word) => /^(?:-g|--global)$/.test(word))
    )
      return words.join(' ');
    if (
      tool === 'yarn' &&
      (verb === undefined || verb === 'install') &&
      !rest.some((word) => /^--(?:immutable|frozen-lockfile)$/.test(word))
    )
      return words.join(' ');
    if (tool === 'pnpm' && (verb === 'install' || verb === 'i') && flagsOnly && !rest.includes('--frozen-lockfile'))
      return words.join(' ');
  }
  return undefined;
}

/** What the final stage runs: ENTRYPOINT followed by CMD, as words; `exec` when both are in the exec form. */
export interface ImageCommand {
  words: string[];
  exec: boolean;
  line: number;
}

export function imageCommand(text: string): ImageCommand | undefined {
  const dockerfile = DockerfileParser.parse(text);
  const froms = dockerfile.getFROMs();
  if (froms.length === 0) return undefined;
  const finalStart = froms[froms.length - 1]!.getRange().start.line;
  const finalStage = dockerfile
    .getInstructions()
    .filter((instruction) => instruction.getRange().start.line >= finalStart);
  const last = (keyword: string) =>
    [...finalStage].reverse().find((instruction) => instruction.getKeyword() === keyword);
  const entry = last('ENTRYPOINT');
  const cmd = last('CMD');
  if (!entry && !cmd) return undefined;
  const parts = [entry, cmd]
    .filter((instruction) => instruction !== undefined)
    .map((instruction) => {
      const args = instruction.getArgumentsContent()?.trim() ?? '';
      return args.startsWith('[')
        ? { words: parseExec(args), exec: true }
        : { words: ['/bin/sh', '-c', args], exec: false };
    });
  return {
    words: parts.flatMap((part) => part.words),
    exec: parts.every((part) => part.exec),
    line: (entry ?? cmd)!.getRange().start.line + 1,
  };
}
