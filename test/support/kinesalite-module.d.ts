/** Types for the parts of the untyped `kinesalite` package the tests use. */
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** Milliseconds a new stream stays CREATING (default 500). */
    readonly createStreamMs?: number;
    readonly deleteStreamMs?: number;
    readonly updateStreamMs?: number;
    readonly shardLimit?: number;
    /** LevelDB folder; in memory when absent. */
    readonly path?: string;
  }

  const kinesalite: (options?: KinesaliteOptions) => Server;
  export default kinesalite;
}
