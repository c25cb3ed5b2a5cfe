/**
 * A portal's REST rate limit (spec README §9): a leaky bucket per application (here: per credential),
 * +1 per HTTP request (a batch counts once), draining at a fixed rate; a request that would overflow
 * it is refused. Off by default, so tests are never slowed by accident.
 */
export interface RateLimitProfile {
  capacity: number;
  drainPerSecond: number;
}

export const RATE_LIMIT_PROFILES = {
  standard: { capacity: 50, drainPerSecond: 2 },
  enterprise: { capacity: 250, drainPerSecond: 5 },
} as const satisfies Record<string, RateLimitProfile>;

export type RateLimitSetting = "off" | keyof typeof RATE_LIMIT_PROFILES;

/** Buckets kept at most; the idle ones go first (random credentials must not grow memory). */
const MAX_BUCKETS = 10_000;

export class LeakyBuckets {
  private readonly buckets = new Map<string, { level: number; atMs: number }>();

  constructor(private readonly profile: RateLimitProfile) {}

  /** Counts one request for `key` at `nowMs`; false when the bucket is full. */
  take(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { level: 0, atMs: nowMs };
    const drained = Math.max(0, bucket.level - ((nowMs - bucket.atMs) / 1000) * this.profile.drainPerSecond);
    this.buckets.delete(key);
    if (drained + 1 > this.profile.capacity) {
      this.buckets.set(key, { level: drained, atMs: nowMs });
      return false;
    }
    this.buckets.set(key, { level: drained + 1, atMs: nowMs });
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
    return true;
  }
}
