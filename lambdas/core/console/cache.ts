/**
 * A bounded map from a report request to its answer text, least recently used first out. The key holds
 * the warehouse's data version, so a new model run or quality run makes every older entry unreachable;
 * they age out as new ones come in.
 */
export class AnswerCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // re-insert: a Map iterates in insertion order, so the first key is the least recently used
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: string): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
