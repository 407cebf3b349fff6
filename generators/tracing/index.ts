export { default } from './generator.ts';
export type { AddFlags, AddOptions } from '../add-capability.ts';
