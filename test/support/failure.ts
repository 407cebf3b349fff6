import * as assert from 'uvu/assert';
import { UserError } from '../../src/errors.ts';

/** The error a generator run fails with; throws if it succeeds, so a refusal test cannot pass by accident. */
export async function failure(context: Promise<unknown>): Promise<Error> {
  try {
    await context;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the generator run to fail');
}

/** The message of the UserError a synchronous check throws; fails the test if it throws nothing. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.instance(error, UserError);
    return (error as UserError).message;
  }
  return assert.unreachable('expected a UserError') as never;
}
