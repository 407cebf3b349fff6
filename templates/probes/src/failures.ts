/**
 * Repeated identical failures, told once per interval. During an outage every request and every probe
 * fails the same way; one event (and one error report) per interval with a count says as much as
 * hundreds of stack traces, without drowning the log or the error tracker.
 */
export class RepeatedFailures {
  readonly #seen = new Map<string, { since: number; lastAt: number; repeated: number; reported: boolean }>();
  readonly #intervalMs: number;
  readonly #maxKeys: number;

  constructor(intervalMs = 60_000, maxKeys = 100) {
    this.#intervalMs = intervalMs;
    this.#maxKeys = maxKeys;
  }

  /**
   * Records one failure: `log` is true for the first of an interval (with `repeated`, how many were
   * not logged since the last event); `report` only for the first of a run of failures, which ends when
   * the failure has not happened for a whole interval.
   */
  occurred(key: string, now = Date.now()): { log: boolean; report: boolean; repeated: number } {
    let entry = this.#seen.get(key);
    if (entry !== undefined && now - entry.lastAt > this.#intervalMs) {
      this.#seen.delete(key);
      entry = undefined;
    }
    if (entry === undefined) {
      // Bounded: a flood of distinct failures forgets the oldest, it never grows without end.
      const oldest = this.#seen.size >= this.#maxKeys ? this.#seen.keys().next().value : undefined;
      if (oldest !== undefined) this.#seen.delete(oldest);
      this.#seen.set(key, { since: now, lastAt: now, repeated: 0, reported: true });
      return { log: true, report: true, repeated: 0 };
    }
    entry.lastAt = now;
    if (now - entry.since >= this.#intervalMs) {
      const repeated = entry.repeated;
      entry.since = now;
      entry.repeated = 0;
      return { log: true, report: false, repeated };
    }
    entry.repeated += 1;
    return { log: false, report: false, repeated: entry.repeated };
  }
}

/** What makes two failures "the same": the error's class, code and message, not its stack or data. */
export function failureKey(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 200);
  const code = (err as { code?: unknown }).code;
  return `${err.name}:${typeof code === 'string' ? code : ''}:${err.message.slice(0, 200)}`;
}
