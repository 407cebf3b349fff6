import { errorReporting } from './error-reporting/index.ts';
import { postgres } from './postgres/index.ts';
import { redis } from './redis/index.ts';
import { schedule } from './schedule/index.ts';
import { storage } from './storage/index.ts';
import { tracing } from './tracing/index.ts';
import type { CapabilityDefinition } from './types.ts';
import { worker } from './worker/index.ts';

/**
 * The one list of capabilities, in the order their contributions are applied (and saved in
 * `.yo-rc.json`). Every other list derives from it: the ids, what each requires, which kinds accept
 * it, `add`'s choices and --help lines, the sub-generators and the package's `exports`
 * (test/unit/capabilities/registry.test.ts proves no list is typed twice). Adding a capability is its
 * folder here, its folder in `templates/`, one line below, and `generators/<id>/` (see CONTRIBUTING).
 */
export const CAPABILITIES = [postgres, redis, worker, errorReporting, tracing, storage, schedule] as const;

export type CapabilityId = (typeof CAPABILITIES)[number]['id'];

export const CAPABILITY_IDS: readonly CapabilityId[] = CAPABILITIES.map((capability) => capability.id);

export function isCapabilityId(id: string): id is CapabilityId {
  return (CAPABILITY_IDS as readonly string[]).includes(id);
}

export function capabilityById(id: CapabilityId): CapabilityDefinition<CapabilityId> {
  // The list is the ids' source, so every id is found.
  return CAPABILITIES.find((capability) => capability.id === id)!;
}
