import type { PackageManagerInfo, PackageManagerName } from './types.ts';
import { PACKAGE_MANAGERS } from './types.ts';
import { PACKAGE_MANAGER_VERSIONS } from './versions.ts';

const COMMANDS: Record<PackageManagerName, Omit<PackageManagerInfo, 'name' | 'version'>> = {
  npm: {
    lockfile: 'package-lock.json',
    ci: 'npm ci',
    auditSignatures: 'npm audit signatures',
    prune: 'npm prune --omit=dev',
    run: (script) => `npm run ${script}`,
  },
  pnpm: {
    lockfile: 'pnpm-lock.yaml',
    setup: 'corepack enable',
    ci: 'pnpm install --frozen-lockfile',
    prune: 'pnpm prune --prod',
    run: (script) => `pnpm run ${script}`,
  },
  yarn: {
    lockfile: 'yarn.lock',
    setup: 'corepack enable',
    ci: 'yarn install --immutable',
    prune: 'yarn workspaces focus --production',
    run: (script) => `yarn run ${script}`,
  },
};

export function packageManagerInfo(name: PackageManagerName, version?: string): PackageManagerInfo {
  return { name, version: version ?? PACKAGE_MANAGER_VERSIONS[name], ...COMMANDS[name] };
}

/**
 * The package manager that ran us, from `npm_config_user_agent` (set by npm, pnpm and yarn alike,
 * e.g. `pnpm/12.21.0 npm/? node/v24.21.0 linux x64`), so `pnpm create twelve-app` defaults to pnpm.
 */
export function detectPackageManager(userAgent: string | undefined): { name: PackageManagerName; version?: string } {
  const match = /^(\w+)\/(\d+\.\d+\.\d+)/.exec(userAgent ?? '');
  const name = match?.[1];
  if (name && (PACKAGE_MANAGERS as readonly string[]).includes(name)) {
    return { name: name as PackageManagerName, version: match[2] };
  }
  return { name: 'npm' };
}
