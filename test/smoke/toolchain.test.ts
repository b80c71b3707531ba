import middy from '@middy/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { hello } from '#core/hello.ts';

it('loads the toolchain', async () => {
  const h = middy(async () => 1);
  expect(await h({}, {} as never)).toBe(1);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const r = await c.runAndReadAll('select 42 as x');
  expect(r.getRowObjects()[0]?.x).toBe(42);
  const ajv = new Ajv(); addFormats.default(ajv);
  expect(ajv.validate({ type: 'string', format: 'date-time' }, '2024-01-01T00:00:00Z')).toBe(true);
  expect(hello()).toBe('hi');
});
