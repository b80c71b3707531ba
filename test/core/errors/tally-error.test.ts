import { problemsError, reasonOf, TallyError } from '#core/errors/tally-error.ts';

class AreaError extends TallyError {
  override name = 'AreaError';
}
const AreaConfigError = problemsError(AreaError, 'AreaConfigError', 'invalid area configuration');
const AreaArgumentError = problemsError(AreaError, 'AreaArgumentError');

describe('TallyError', () => {
  it('keeps the cause and takes the name its family gives it', () => {
    const cause = new Error('disk full');
    const error = new AreaError('cannot write', { cause });
    expect([error.name, error.message, error.cause]).toEqual(['AreaError', 'cannot write', cause]);
    expect(error).toBeInstanceOf(TallyError);
  });
});

describe('problemsError', () => {
  it('lists every problem after what was invalid, in a class of the family with its own name', () => {
    const error = new AreaConfigError(['A is missing', 'B is not a number']);
    expect(error.message).toBe('invalid area configuration: A is missing; B is not a number');
    expect(error.problems).toEqual(['A is missing', 'B is not a number']);
    expect(error.name).toBe('AreaConfigError');
    expect(AreaConfigError.name).toBe('AreaConfigError');
    expect(error).toBeInstanceOf(AreaError);
    expect(error).toBeInstanceOf(AreaConfigError);
  });

  it('lists the problems alone when it is not told what was invalid', () => {
    expect(new AreaArgumentError(['from is after to']).message).toBe('from is after to');
  });
});

describe('reasonOf', () => {
  it('reads an Error as its message and anything else as its text', () => {
    expect(reasonOf(new Error('timed out'))).toBe('timed out');
    expect(reasonOf(42)).toBe('42');
  });
});
