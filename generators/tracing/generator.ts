import type { CapabilityId } from '../../src/model/types.ts';
import { AddCapabilityGenerator } from '../add-capability.ts';

/** `create-twelve-app add tracing`: the run loop is the shared one; this folder names the capability. */
export default class TracingGenerator extends AddCapabilityGenerator {
  override capability: CapabilityId = 'tracing';
}
