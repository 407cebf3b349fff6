import path from 'node:path';
import type { CapabilityId } from '../src/capabilities/registry.ts';
import { isCapabilityId } from '../src/capabilities/registry.ts';
import { AddCapabilityGenerator } from './add-capability.ts';

/**
 * The sub-generator of one capability: the shared run loop of `add`, for the capability `id` names.
 * `generators/<id>/` passes its own folder, so the folder's name is the only place the id appears there.
 */
export function capabilityGenerator(idOrFolder: string): typeof AddCapabilityGenerator {
  const name = path.basename(idOrFolder);
  if (!isCapabilityId(name))
    throw new Error(`generators/${name} is not named after a capability of src/capabilities/registry.ts`);
  const id: CapabilityId = name;
  return class extends AddCapabilityGenerator {
    override capability: CapabilityId = id;
  };
}
