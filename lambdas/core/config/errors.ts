/** A Lambda's environment does not name the asset folders it reads (see ASSET_ENV). */
export class AssetConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid asset configuration: ${problems.join('; ')}`);
    this.name = 'AssetConfigError';
  }
}
