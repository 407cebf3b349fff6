/**
 * A real container engine on a machine without a registry (the recipe in README "The image row"):
 * podman builds with chroot isolation (this VM cannot set rlimits, so `podman run` fails with crun and
 * runc alike), against a local base image named like the official one, made from a Debian root file
 * system (debootstrap) plus Node.js from the npm `node` package and npm from the npm `npm` package.
 * `runInImage` runs a command in a built image with `buildah run`, chroot isolation, host network.
 * Used by the bench's image row; the e2e tests may use it too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NODE_VERSION = process.versions.node;
const NPM_VERSION = '11.19.1';
/** The official image's name, so the generated Dockerfile's `FROM` resolves to the local one. */
export const BASE_IMAGE = `docker.io/library/node:${NODE_VERSION}-bookworm-slim`;
const ROOTFS = '/var/tmp/twelve-base-rootfs';

const sh = (command: string, args: string[], options: { cwd?: string; input?: string; timeoutMs?: number } = {}) =>
  execFileSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });

const has = (command: string) => {
  try {
    sh('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
};

/** Why no image can be built here, or undefined when podman, buildah and debootstrap are all present. */
export function engineMissing(): string | undefined {
  const missing = ['podman', 'buildah', 'debootstrap'].filter((tool) => !has(tool));
  return missing.length > 0
    ? `${missing.join(', ')} not installed (apt-get install podman buildah debootstrap)`
    : undefined;
}

export function imageExists(name: string): boolean {
  try {
    sh('podman', ['image', 'exists', name]);
    return true;
  } catch {
    return false;
  }
}

/** The local base image, made once per machine (debootstrap takes minutes: it is kept in podman's storage). */
export function ensureBaseImage(log: (message: string) => void = () => {}): string {
  if (imageExists(BASE_IMAGE)) return BASE_IMAGE;
  log(`making ${BASE_IMAGE} from a Debian root file system (once per machine)`);
  const root = ROOTFS;
  if (!fs.existsSync(path.join(root, 'bin', 'sh'))) {
    fs.rmSync(root, { recursive: true, force: true });
    sh('debootstrap', ['--variant=minbase', 'bookworm', root, 'http://deb.debian.org/debian']);
  }
  // Node.js as the npm `node` package ships it (the binary this process runs, when it came from there).
  fs.copyFileSync(fs.realpathSync(process.execPath), path.join(root, 'usr/local/bin/node'));
  fs.chmodSync(path.join(root, 'usr/local/bin/node'), 0o755);
  const npmDir = path.join(root, 'usr/local/lib/node_modules/npm');
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-npm-'));
  sh('npm', ['pack', `npm@${NPM_VERSION}`, '--pack-destination', packDir]);
  fs.rmSync(npmDir, { recursive: true, force: true });
  fs.mkdirSync(npmDir, { recursive: true });
  sh('tar', ['-xzf', path.join(packDir, `npm-${NPM_VERSION}.tgz`), '-C', npmDir, '--strip-components=1']);
  fs.rmSync(packDir, { recursive: true, force: true });
  for (const [bin, target] of [
    ['npm', 'npm-cli.js'],
    ['npx', 'npx-cli.js'],
  ] as const) {
    fs.rmSync(path.join(root, 'usr/local/bin', bin), { force: true });
    fs.symlinkSync(`../lib/node_modules/npm/bin/${target}`, path.join(root, 'usr/local/bin', bin));
  }
  // The official image's unprivileged user, which the generated Dockerfile switches to.
  sh('chroot', [
    root,
    'sh',
    '-c',
    'id node >/dev/null 2>&1 || (groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node)',
  ]);
  // Where an egress proxy re-signs TLS, `npm ci` in the build stage needs the host's CA bundle.
  const bundle = '/etc/ssl/certs/ca-certificates.crt';
  fs.mkdirSync(path.join(root, 'etc/ssl/certs'), { recursive: true });
  fs.mkdirSync(path.join(root, 'usr/local/etc'), { recursive: true });
  if (fs.existsSync(bundle)) fs.copyFileSync(bundle, path.join(root, bundle));
  fs.writeFileSync(
    path.join(root, 'usr/local/etc/npmrc'),
    `cafile=${bundle}\nupdate-notifier=false\nfund=false\naudit=false\n`,
  );
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists'])
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true }))
      if (entry.isFile()) fs.rmSync(path.join(root, dir, entry.name));
  sh('sh', [
    '-c',
    `tar --numeric-owner -C ${root} -c . | podman import --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - ${BASE_IMAGE}`,
  ]);
  return BASE_IMAGE;
}

/**
 * Builds an app's Dockerfile with podman (chroot isolation, never pulling). A digest-pinned `FROM` is
 * resolved by its tag against the local base image: the digest of an image made here cannot match.
 */
export function buildImage(appDir: string, tag: string, buildArgs: Record<string, string> = {}): void {
  const dockerfile = fs.readFileSync(path.join(appDir, 'Dockerfile'), 'utf8');
  const local = path.join(appDir, '.Dockerfile.local');
  fs.writeFileSync(local, dockerfile.replace(/^(FROM\s+\S+?)@sha256:[0-9a-f]{64}/gim, '$1'));
  try {
    sh('podman', [
      'build',
      '--isolation=chroot',
      '--pull=never',
      '--format=docker',
      ...Object.entries(buildArgs).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]),
      '-f',
      local,
      '-t',
      tag,
      appDir,
    ]);
  } finally {
    fs.rmSync(local, { force: true });
  }
}

/** The image's size in bytes, as podman reports it (all layers). */
export function imageBytes(name: string): number {
  return Number(sh('podman', ['image', 'inspect', '--format', '{{.Size}}', name]).trim());
}

/** Runs a command in a container of the image (chroot isolation, the host's network); returns stdout. */
export function runInImage(name: string, command: string[], env: Record<string, string> = {}): string {
  const container = sh('buildah', ['from', '--pull=never', name]).trim();
  try {
    return sh('buildah', [
      'run',
      '--isolation',
      'chroot',
      ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      container,
      '--',
      ...command,
    ]);
  } finally {
    sh('buildah', ['rm', container]);
  }
}

export function removeImage(name: string): void {
  try {
    sh('podman', ['rmi', '--force', name]);
  } catch {}
}
