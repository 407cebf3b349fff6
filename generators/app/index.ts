export type { AppOptions } from './generator.ts';
export { default } from './generator.ts';
