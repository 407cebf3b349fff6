import type { JobName } from '../queue.ts';
import type { Processor } from './context.ts';
import { example } from './example.ts';

export type { JobContext, Processor } from './context.ts';

/** Job name → processor; a job in `Jobs` without a processor here does not compile. */
export const processors: { [Name in JobName]: Processor<Name> } = {
  example,
};
