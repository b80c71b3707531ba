import { CheckParamsError } from '../errors.ts';

/** A rule on one parameter: a predicate and how to say what is wrong. */
export type Rule = readonly [ok: boolean, problem: string];

/** Throws one CheckParamsError listing every broken rule, or returns quietly. */
export const assertParams = (check: string, rules: readonly Rule[]): void => {
  const problems = rules.filter(([ok]) => !ok).map(([, problem]) => problem);
  if (problems.length > 0) throw new CheckParamsError(check, problems);
};

export const positive = (name: string, value: number): Rule => [
  Number.isFinite(value) && value > 0,
  `${name} must be a positive number (got ${value})`,
];

export const nonNegative = (name: string, value: number): Rule => [
  Number.isFinite(value) && value >= 0,
  `${name} must be a number >= 0 (got ${value})`,
];

export const percentage = (name: string, value: number): Rule => [
  Number.isFinite(value) && value >= 0 && value <= 100,
  `${name} must be a percentage between 0 and 100 (got ${value})`,
];
