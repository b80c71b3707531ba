/**
 * Errors of the activation layer. Each says what is wrong and how to fix it; the CLI and the runner
 * decide what to do with them.
 */

/** Base class: every activation failure is an ActivationError. */
export class ActivationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ActivationError';
  }
}

/** A fact declaration is invalid (bad name, bad filter, duplicate). Lists every problem at once. */
export class FactDeclarationError extends ActivationError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid activation fact declaration: ${problems.join('; ')}`);
    this.name = 'FactDeclarationError';
  }
}

/** Activation settings are invalid. Lists every problem at once. */
export class ActivationSettingsError extends ActivationError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid activation settings: ${problems.join('; ')}`);
    this.name = 'ActivationSettingsError';
  }
}

/** A report request names an unknown fact or grain, a bad date or format. Lists every problem at once. */
export class ActivationReportError extends ActivationError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ActivationReportError';
  }
}
