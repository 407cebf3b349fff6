export type { AddFlags, AddOptions } from '../add-capability.ts';
export { default } from './generator.ts';
