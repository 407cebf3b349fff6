/**
 * The versions every app (or every app of a kind) depends on, exact (never a range): the lockfile pins
 * the rest of the tree, and a bump is one reviewed line plus a changeset. A capability pins its own in
 * `src/capabilities/<id>/versions.ts`.
 */
export const NODE_VERSION = '24.21.0';

/**
 * The official image's tag for NODE_VERSION and its digest (the multi-platform index), so every `FROM`
 * names exactly one image: a tag can be re-pointed, a digest cannot. The tag stays for readers and for
 * Dependabot, whose docker updates bump both together in the generated app. The scaffolder cannot reach
 * a registry when it generates, so the digest is recorded here: docs/decisions.md says how it was
 * obtained and how a bump (tag and digest in one reviewed line) is made.
 */
export const NODE_IMAGE = {
  tag: `${NODE_VERSION}-bookworm-slim`,
  digest: 'sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6',
} as const;

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

/**
 * The actions the generated workflows use, each pinned by the full commit SHA of a release, its tag in
 * the comment for readers and for Dependabot (which bumps both together, after its cooldown). A tag can
 * be moved to other code; a commit cannot. docs/decisions.md says where each SHA was read.
 */
export const GITHUB_ACTIONS = {
  checkout: { repo: 'actions/checkout', sha: '9c091bb21b7c1c1d1991bb908d89e4e9dddfe3e0', tag: 'v7.0.0' },
  setupNode: { repo: 'actions/setup-node', sha: '48b55a011bda9f5d6aeb4c2d9c7362e8dae4041e', tag: 'v6.4.0' },
  setupBuildx: { repo: 'docker/setup-buildx-action', sha: 'f87e5991a6d7451dcb8d9637bfbc97413f497069', tag: 'v4.4.1' },
  login: { repo: 'docker/login-action', sha: 'c94ce9fb468520275223c153574b00df6fe4bcc9', tag: 'v3.7.0' },
  buildPush: { repo: 'docker/build-push-action', sha: '10e90e3645eae34f1e60eeb005ba3a3d33f178e8', tag: 'v6.19.2' },
  sbom: { repo: 'anchore/sbom-action', sha: '17ae1740179002c89186b61233e0f892c3118b11', tag: 'v0.23.0' },
  attestProvenance: {
    repo: 'actions/attest-build-provenance',
    sha: '0f67c3f4856b2e3261c31976d6725780e5e4c373',
    tag: 'v4.1.1',
  },
} as const;

export type GitHubAction = keyof typeof GITHUB_ACTIONS;

/**
 * Days a release must have been public before it is installed (`.npmrc`'s `min-release-age`) or proposed
 * (Dependabot's `cooldown`): the npm compromises of 2025–26 were live for minutes to hours. The pins
 * above must be at least this old when a version of create-twelve-app is released, or a new app's first
 * install fails; the end-to-end tests install generated apps with this `.npmrc`, so they catch it.
 */
export const RELEASE_COOLDOWN_DAYS = 3;
