import path from 'node:path';
import { KIND_DEFINITIONS } from './capabilities/kinds.ts';
import { CAPABILITIES } from './capabilities/registry.ts';
import { runtime } from './capabilities/runtime.ts';
import { houseContribution } from './house-template/contribution.ts';
import type { HouseTemplate } from './house-template/load.ts';
import { assembleModel } from './model/assemble.ts';
import type { AppModel, AppSpec, Contribution } from './model/types.ts';

/**
 * What builds an app, in order: what every app has, the kind's own parts, then each capability the
 * spec names, in the registry's order. An id the registry does not know contributes nothing.
 */
export function contributions(spec: AppSpec): Contribution[] {
  const kind = KIND_DEFINITIONS[spec.kind];
  const traits = { kind: spec.kind, ...kind.traits };
  const capabilities = CAPABILITIES.filter((capability) => spec.capabilities.includes(capability.id));
  return [
    runtime(spec),
    ...kind.contribute(spec),
    ...capabilities.map((capability) => capability.contribute(spec, traits)),
  ];
}

/**
 * Derive the whole app model from the saved choices. Pure: the same spec always gives the same model.
 * An app made from a house template (`spec.template`) needs that template, fetched (`loadTemplate`):
 * it contributes to the model after the capabilities, and its files are rendered last.
 */
export function buildModel(spec: AppSpec, house?: HouseTemplate): AppModel {
  if (spec.template && !house)
    throw new Error(`buildModel: ${spec.name} was made from the house template ${spec.template.name}; pass it`);
  const builtIn = contributions(spec);
  if (!house) return assembleModel(spec, builtIn);
  const parts = [...builtIn, houseContribution(house.manifest, house.name, builtIn)];
  return assembleModel(spec, parts, {
    name: house.name,
    version: house.version,
    dir: path.join(house.root, 'templates'),
  });
}
