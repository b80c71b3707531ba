import { CollectorError } from '#core/collector/errors.ts';

/** The CollectorError a request is refused with (fails the test when it is accepted or fails otherwise). */
export const refusal = async (promise: Promise<unknown>): Promise<CollectorError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CollectorError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
};
