import { problemsError, TallyError } from '#core/errors/tally-error.ts';

/**
 * Errors of the activation layer. Each says what is wrong and how to fix it; the CLI and the runner
 * decide what to do with them.
 */

/** Base class: every activation failure is an ActivationError. */
export class ActivationError extends TallyError {
  override name = 'ActivationError';
}

/** A fact declaration is invalid (bad name, bad filter, duplicate). Lists every problem at once. */
export const FactDeclarationError = problemsError(
  ActivationError,
  'FactDeclarationError',
  'invalid activation fact declaration',
);

/** Activation settings are invalid. Lists every problem at once. */
export const ActivationSettingsError = problemsError(
  ActivationError,
  'ActivationSettingsError',
  'invalid activation settings',
);

/** A report request names an unknown fact or grain, a bad date or format. Lists every problem at once. */
export const ActivationReportError = problemsError(ActivationError, 'ActivationReportError');
