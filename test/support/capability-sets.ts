import { addCapability, assertCanAdd } from '../../src/app-spec.ts';
import { KIND_DEFINITIONS } from '../../src/capabilities/kinds.ts';
import { CAPABILITY_IDS, type CapabilityId, isCapabilityId } from '../../src/capabilities/registry.ts';
import { isUserError } from '../../src/errors.ts';
import type { AppSpec, Kind } from '../../src/model/types.ts';
import { KINDS } from '../../src/model/types.ts';

export interface Combination {
  kind: Kind;
  capabilities: CapabilityId[];
}

/**
 * Every kind with every capability set the compatibility rules allow, derived from what the code
 * exposes (each kind's starting capabilities, `requires` through `addCapability`, the registry's `kinds` through `assertCanAdd`): every
 * subset of the optional capabilities added in turn, the ones a rule refuses left out, duplicates (a
 * worker without redis is a worker with it) removed. The one place to point at a compatibility table.
 */
export function validCombinations(
  base: Omit<AppSpec, 'kind' | 'capabilities'>,
  { fewSets = FEW_SETS }: { fewSets?: Record<string, readonly Combination[]> } = {},
): Combination[] {
  const seen = new Set<string>();
  const combinations: Combination[] = [];
  const add = (kind: Kind, spec: AppSpec) => {
    const key = `${kind}:${spec.capabilities.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    combinations.push({ kind, capabilities: spec.capabilities.filter(isCapabilityId) });
  };
  for (const kind of KINDS) {
    const start = KIND_DEFINITIONS[kind].starts.reduce(addCapability, { ...base, kind, capabilities: [] } as AppSpec);
    const optional = CAPABILITY_IDS.filter((id) => !start.capabilities.includes(id) && !(id in fewSets));
    for (let mask = 0; mask < 2 ** optional.length; mask++) {
      const wanted = optional.filter((_, index) => mask & (1 << index));
      let spec: AppSpec | undefined = start;
      for (const id of wanted) {
        try {
          assertCanAdd(spec, id);
        } catch (error) {
          if (!isUserError(error)) throw error;
          spec = undefined;
          break;
        }
        spec = addCapability(spec, id);
      }
      if (spec) add(kind, spec);
    }
  }
  // Capabilities that touch no other's files join a few sets each, not the cross product (which doubles per capability).
  for (const sets of Object.values(fewSets))
    for (const { kind, capabilities } of sets) {
      const start = KIND_DEFINITIONS[kind].starts.reduce(addCapability, { ...base, kind, capabilities: [] } as AppSpec);
      add(kind, capabilities.reduce(addCapability, start));
    }
  return combinations;
}

/**
 * Proven in these sets only: alone on each kind that accepts it, and beside everything else. Each adds
 * files of its own and entries to the shared lists (services, routes, processes), never edits another's.
 */
export const FEW_SETS: Record<string, readonly Combination[]> = {
  storage: [
    { kind: 'api', capabilities: ['storage'] },
    { kind: 'worker', capabilities: ['storage'] },
    { kind: 'api', capabilities: ['postgres', 'redis', 'worker', 'error-reporting', 'tracing', 'storage', 'schedule'] },
  ],
  schedule: [
    { kind: 'api', capabilities: ['schedule'] },
    { kind: 'worker', capabilities: ['postgres', 'schedule'] },
  ],
};
