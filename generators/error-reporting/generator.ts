import type { CapabilityId } from '../../src/model/types.ts';
import { AddCapabilityGenerator } from '../add-capability.ts';

/** `create-twelve-app add error-reporting`: the run loop is the shared one; this folder names the capability. */
export default class ErrorReportingGenerator extends AddCapabilityGenerator {
  override capability: CapabilityId = 'error-reporting';
}
