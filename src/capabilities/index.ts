import type { AppSpec, CapabilityId, Contribution, Kind } from '../model/types.ts';
import { api } from './api.ts';
import { postgres } from './postgres.ts';
import { runtime } from './runtime.ts';

/** Each kind of app is a capability of its own; the ones not built yet are refused at the CLI. */
export const KIND_CAPABILITIES: Partial<Record<Kind, (spec: AppSpec) => Contribution>> = { api };

/** Backing services and other optional capabilities, in the order their contributions are applied. */
export const CAPABILITIES: Record<CapabilityId, (spec: AppSpec) => Contribution> = { postgres };

export function contributions(spec: AppSpec): Contribution[] {
  const kind = KIND_CAPABILITIES[spec.kind];
  if (!kind) throw new Error(`No capability module for kind "${spec.kind}"`);
  const optional = (Object.keys(CAPABILITIES) as CapabilityId[])
    .filter((id) => spec.capabilities.includes(id))
    .map((id) => CAPABILITIES[id](spec));
  return [runtime(spec), kind(spec), ...optional];
}
