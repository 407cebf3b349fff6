/**
 * The versions every app (or every app of a kind) depends on, exact (never a range): the lockfile pins
 * the rest of the tree, and a bump is one reviewed line plus a changeset. A capability pins its own in
 * `src/capabilities/<id>/versions.ts`.
 */
export const NODE_VERSION = '24.21.0';

export const PACKAGE_VERSIONS = {
  '@biomejs/biome': '2.6.8',
  '@changesets/cli': '3.0.3',
  '@fastify/cors': '11.4.3',
  '@fastify/static': '9.3.0',
  '@types/react': '19.3.3',
  '@types/react-dom': '19.3.0',
  '@vitejs/plugin-react': '6.3.0',
  '@types/node': '24.19.2',
  esbuild: '0.28.2',
  fastify: '5.12.8',
  pino: '10.4.0',
  react: '19.3.1',
  'react-dom': '19.3.1',
  typescript: '7.0.2',
  vite: '8.4.0',
  zod: '4.6.7',
} as const;

export type PackageName = keyof typeof PACKAGE_VERSIONS;

/** Exact `name: version` pairs for the given packages, as a capability contributes them. */
export function pinned(...names: PackageName[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, PACKAGE_VERSIONS[name]]));
}

/** Used for `packageManager` when the user's own version is not known (they did not run us with it). */
export const PACKAGE_MANAGER_VERSIONS = {
  npm: '11.19.1',
  pnpm: '12.21.0',
  yarn: '4.18.1',
} as const;
