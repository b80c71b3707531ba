import { wellFormed } from '../contract/unicode.ts';
import {
  MissingSqlParamError,
  WarehouseConflictError,
  WarehouseQueryError,
  WarehouseUnavailableError,
} from './errors.ts';
import type { Row, SqlParam, Warehouse } from './ports.ts';
import type { RenderedStatement } from './template.ts';
import { wellFormedJson } from './well-formed.ts';

/** Named values for a statement's `{{ param('name') }}` placeholders. */
export type SqlValues = Readonly<Record<string, SqlParam>>;

/**
 * Orders `values` as the statement's `?` placeholders expect; a missing name is an error, extras are ignored.
 * Text is made storable on the way (well-formed.ts): a lone UTF-16 surrogate in a client-derived string
 * becomes U+FFFD, in JSON text (rows sent as JSON to `json_rows` / `json_parse`) its `\ud800` escape too,
 * so no value can make the warehouse refuse a whole statement, and no writer of raw.* or ops.* stalls on one.
 */
export const bindParams = (statement: RenderedStatement, values: SqlValues): SqlParam[] =>
  statement.params.map((name) => {
    const value = values[name];
    if (value === undefined) throw new MissingSqlParamError(`${statement.file}#${statement.name}`, name);
    if (typeof value !== 'string') return value;
    return statement.jsonParams?.includes(name) ? wellFormedJson(value) : wellFormed(value);
  });

/** Executes a rendered statement; failures name the SQL file and statement. */
export const runStatement = async (
  warehouse: Warehouse,
  statement: RenderedStatement,
  values: SqlValues = {},
): Promise<number> => {
  const params = bindParams(statement, values);
  try {
    return await warehouse.execute(statement.sql, params);
  } catch (error) {
    throw withStatement(statement, error);
  }
};

/** Runs a rendered query and returns its rows. */
export const queryStatement = async <T extends Row = Row>(
  warehouse: Warehouse,
  statement: RenderedStatement,
  values: SqlValues = {},
): Promise<T[]> => {
  const params = bindParams(statement, values);
  try {
    return await warehouse.query<T>(statement.sql, params);
  } catch (error) {
    throw withStatement(statement, error);
  }
};

const withStatement = (statement: RenderedStatement, error: unknown): Error => {
  // nothing ran: callers tell an outage from a failing statement by its type, so it passes as it is
  if (error instanceof WarehouseUnavailableError) return error;
  const where = `${statement.file}#${statement.name}`;
  const message = `${where}: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof WarehouseConflictError)
    return new WarehouseConflictError(message, statement.sql, { cause: error });
  return new WarehouseQueryError(message, statement.sql, { cause: error });
};
