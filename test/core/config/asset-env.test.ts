import { ASSET_ENV, parseAssetDirs } from '#core/config/asset-env.ts';
import { AssetConfigError } from '#core/config/errors.ts';

describe('parseAssetDirs', () => {
  it('reads the folders a handler needs from their one variable each', () => {
    const env = { [ASSET_ENV.sql]: '/var/task/sql', [ASSET_ENV.schemas]: '/var/task/schemas' };

    expect(parseAssetDirs(env, ['sql', 'schemas'])).toEqual({
      sql: '/var/task/sql',
      schemas: '/var/task/schemas',
    });
  });

  it('names every missing folder variable in one AssetConfigError', () => {
    const parse = () => parseAssetDirs({ [ASSET_ENV.sql]: '  ' }, ['sql', 'schemas']);

    expect(parse).toThrow(AssetConfigError);
    expect(parse).toThrow(
      'invalid asset configuration: TALLY_SQL_DIR is required; TALLY_SCHEMAS_DIR is required',
    );
  });
});
