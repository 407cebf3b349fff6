import type { AppSpec, CapabilityId, Contribution, Kind } from '../model/types.ts';
import { api } from './api.ts';
import { client } from './client.ts';
import { errorReporting } from './error-reporting.ts';
import { postgres } from './postgres.ts';
import { redis } from './redis.ts';
import { runtime } from './runtime.ts';
import { tracing } from './tracing.ts';
import { worker } from './worker.ts';

/**
 * What a kind adds beyond its capabilities. A worker app is the `worker` capability (and what that
 * requires) with nothing else, so its kind adds nothing.
 */
export const KIND_CAPABILITIES: Record<Kind, (spec: AppSpec) => Contribution[]> = { api, worker: () => [], client };

/** The capabilities an app of each kind starts with, before any `--db` or `add`. */
export const KIND_BASE_CAPABILITIES: Record<Kind, CapabilityId[]> = { api: [], worker: ['worker'], client: [] };

/** Backing services and other optional capabilities, in the order their contributions are applied. */
export const CAPABILITIES: Record<CapabilityId, (spec: AppSpec) => Contribution> = {
  postgres,
  redis,
  worker,
  'error-reporting': errorReporting,
  tracing,
};

export function contributions(spec: AppSpec): Contribution[] {
  const optional = (Object.keys(CAPABILITIES) as CapabilityId[])
    .filter((id) => spec.capabilities.includes(id))
    .map((id) => CAPABILITIES[id](spec));
  return [runtime(spec), ...KIND_CAPABILITIES[spec.kind](spec), ...optional];
}
