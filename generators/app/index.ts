export { default } from './generator.ts';
export type { AppOptions } from './generator.ts';
