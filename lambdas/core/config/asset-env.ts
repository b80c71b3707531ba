import { ConfigReader } from './config-reader.ts';
import { AssetConfigError } from './errors.ts';

/**
 * The asset folders a Lambda reads at start, defined once: the project function construct sets the
 * variable of every folder it copies beside the bundle, and the handler reads it here.
 */
export const ASSET_ENV = {
  /** The SQL library (the repository's `sql/`). */
  sql: 'TALLY_SQL_DIR',
  /** The JSON Schemas and the feature catalog (the repository's `schemas/`). */
  schemas: 'TALLY_SCHEMAS_DIR',
} as const;

export type AssetFolder = keyof typeof ASSET_ENV;

type Env = Readonly<Record<string, string | undefined>>;

/** The folders `needed`, from the environment; every missing one named in one AssetConfigError. */
export const parseAssetDirs = <K extends AssetFolder>(env: Env, needed: readonly K[]): Record<K, string> => {
  const read = ConfigReader.env(env);
  const dirs = Object.fromEntries(needed.map((folder) => [folder, read.required(ASSET_ENV[folder])]));
  read.throwIfAny((problems) => new AssetConfigError(problems));
  return dirs as Record<K, string>;
};
