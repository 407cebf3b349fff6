/** The error a generator run fails with; throws if it succeeds, so a refusal test cannot pass by accident. */
export async function failure(context: Promise<unknown>): Promise<Error> {
  try {
    await context;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the generator run to fail');
}
