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
export function validCombinations(base: Omit<AppSpec, 'kind' | 'capabilities'>): Combination[] {
  const seen = new Set<string>();
  const combinations: Combination[] = [];
  for (const kind of KINDS) {
    const start = KIND_DEFINITIONS[kind].starts.reduce(addCapability, { ...base, kind, capabilities: [] } as AppSpec);
    const optional = CAPABILITY_IDS.filter((id) => !start.capabilities.includes(id));
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
      if (!spec) continue;
      const key = `${kind}:${spec.capabilities.join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      combinations.push({ kind, capabilities: spec.capabilities.filter(isCapabilityId) });
    }
  }
  return combinations;
}
