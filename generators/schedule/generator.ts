import { capabilityGenerator } from '../capability-generator.ts';

/** `create-twelve-app add <this folder's name>`: the shared run loop, for the capability the folder is named after. */
export default capabilityGenerator(import.meta.dirname);
