import type { AppSpec, Contribution, Kind } from '../model/types.ts';
import { api } from './api.ts';
import { client } from './client.ts';
import type { CapabilityId } from './registry.ts';
import type { KindTraits } from './types.ts';

export interface KindDefinition {
  /** The kind's choice in the prompt. */
  label: string;
  /** What a capability may count on: an API to add routes to. */
  traits: Omit<KindTraits, 'kind'>;
  /** The capabilities an app of this kind starts with, before any `--db` or `add`. */
  starts: readonly CapabilityId[];
  /** What the kind adds beyond its capabilities. */
  contribute: (spec: AppSpec) => Contribution[];
  /**
   * Why it refuses a capability the registry does not let it have, as the end of a sentence that
   * starts with the app's name.
   */
  refusal: string;
}

/**
 * The kinds, with the compatibility table's other half (each capability's `kinds` says which accept
 * it). A worker app is the `worker` capability and what that requires, with nothing else of its own.
 */
export const KIND_DEFINITIONS: Record<Kind, KindDefinition> = {
  api: {
    label: 'an HTTP API (Fastify, health endpoints, graceful shutdown)',
    traits: { api: true },
    starts: [],
    contribute: api,
    refusal: 'is an API, which cannot have it',
  },
  worker: {
    label: 'a background job processor',
    traits: { api: false },
    starts: ['worker'],
    contribute: () => [],
    refusal: 'is a worker, which cannot have it',
  },
  client: {
    label: 'a browser client (Vite + React, configured at run time)',
    traits: { api: false },
    starts: [],
    contribute: client,
    refusal:
      'is a client app, which reaches its data through the API it calls: run `create-twelve-app add {id}` inside that API app instead',
  },
};
