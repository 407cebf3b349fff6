import { isDeepStrictEqual } from 'node:util';

/**
 * Three-way merge of package.json, one level deep: for every key (and every entry of an object such as
 * `dependencies` or `scripts`), take ours where the user left the old value, keep theirs where they
 * changed it. `undefined` when the file is not JSON any more: then it is a conflict like any other.
 */
export function mergePackageJson(base: string, disk: string, next: string): string | undefined {
  let parsed: [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  try {
    parsed = [JSON.parse(base), JSON.parse(disk), JSON.parse(next)];
  } catch {
    return undefined;
  }
  const [old, current, ours] = parsed;
  const merged = merge3(old, current, ours, (_key, oldValue, currentValue, ourValue) => {
    if (isObject(oldValue) && isObject(currentValue) && isObject(ourValue)) {
      return merge3(oldValue, currentValue, ourValue, (_, o, c, n) => pick(o, c, n));
    }
    return pick(oldValue, currentValue, ourValue);
  });
  const sorted = sortDependencyMaps(merged);
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

type Resolver = (key: string, old: unknown, current: unknown, ours: unknown) => unknown;

function merge3(
  old: Record<string, unknown>,
  current: Record<string, unknown>,
  ours: Record<string, unknown>,
  resolve: Resolver,
) {
  const result: Record<string, unknown> = {};
  // The user's key order first (their file), then keys only we add.
  const keys = [...new Set([...Object.keys(current), ...Object.keys(ours)])];
  for (const key of keys) {
    const value = resolve(key, old[key], current[key], ours[key]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** The user's value if they changed it since we rendered it, else ours (which may delete the key). */
function pick(old: unknown, current: unknown, ours: unknown): unknown {
  return isDeepStrictEqual(old, current) ? ours : current;
}

function sortDependencyMaps(json: Record<string, unknown>): Record<string, unknown> {
  for (const key of ['dependencies', 'devDependencies']) {
    const value = json[key];
    if (isObject(value)) json[key] = Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
  }
  return json;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
