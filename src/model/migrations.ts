import { PACKAGE_MANAGER_VERSIONS } from './versions.ts';

/**
 * Moving a stored spec forward: each migration takes the spec saved at `from` to `from + 1`. An old
 * `.yo-rc.json` is migrated when it is read (so `add` and `update` work on it), and `update` saves the
 * result with the new `specVersion`. A new optional field needs no migration; a migration is for a
 * change of shape or meaning, and stays a small function of the saved record alone.
 */
export interface Migration {
  from: number;
  /** One line for `update`'s output: what changes in `.yo-rc.json`. */
  description: string;
  migrate: (saved: Record<string, unknown>) => Record<string, unknown>;
}

export type SavedSpec = Record<string, unknown>;

export const MIGRATIONS: readonly Migration[] = [
  {
    from: 1,
    description: 'packageManager pinned to an exact version',
    // Version 1 accepted a bare `npm` (or nothing), which rendered whatever version the scaffolder of
    // the day pinned, so every release changed `packageManager` in package.json. From version 2 on the
    // spec names an exact version: the one that was being rendered when the app was migrated.
    migrate: (saved) => {
      const value =
        typeof saved.packageManager === 'string' && saved.packageManager !== '' ? saved.packageManager : 'npm';
      const pinned = PACKAGE_MANAGER_VERSIONS[value as keyof typeof PACKAGE_MANAGER_VERSIONS];
      return { ...saved, packageManager: pinned === undefined ? value : `${value}@${pinned}` };
    },
  },
  {
    from: 2,
    description: 'the worker keeps its queue name `jobs` (new apps name the queue after the app)',
    // Up to version 2 every worker consumed the queue `jobs`, so two apps on one Redis took each
    // other's jobs; new apps derive the name from theirs. Renaming an existing queue would strand the
    // jobs waiting in it, so an app that has a worker records the old name.
    migrate: (saved) => {
      const capabilities = Array.isArray(saved.capabilities) ? saved.capabilities : [];
      return capabilities.includes('worker') ? { ...saved, queue: 'jobs' } : saved;
    },
  },
];

/** The spec version this scaffolder writes: one past the last migration. */
export const CURRENT_SPEC_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.from + 1), 1);

export interface Migrated {
  saved: SavedSpec;
  /** The migrations that ran, oldest first. */
  applied: Migration[];
}

/**
 * Runs every migration from the saved `specVersion` up to `CURRENT_SPEC_VERSION`. A spec without a
 * version, or with one past ours, is returned as it is: telling the user what is wrong is `readSpec`'s job.
 */
export function migrateSpec(saved: SavedSpec, migrations: readonly Migration[] = MIGRATIONS): Migrated {
  const applied: Migration[] = [];
  let current = saved;
  for (;;) {
    const version = current.specVersion;
    const next = typeof version === 'number' ? migrations.find((migration) => migration.from === version) : undefined;
    if (!next) return { saved: current, applied };
    current = { ...next.migrate(current), specVersion: next.from + 1 };
    applied.push(next);
  }
}
