import { createHash, randomBytes } from "node:crypto";

/** Where every generated id, code, token and secret comes from. */
export interface RandomSource {
  /** `bytes` random bytes as lower-case hex (2 characters each). */
  hex(bytes: number): string;
  /** A number in [0, 1), for choices that are not secrets. */
  fraction(): number;
}

/**
 * The system's CSPRNG, or with a seed a reproducible stream: SHA-256 over the seed and a counter, so
 * two emulators given the same seed and the same calls in the same order hand out the same values.
 * `stream` names an independent sequence for the same seed. A seeded source is for tests only: its
 * secrets are predictable by design.
 */
export function randomSource(seed?: string | number, stream = ""): RandomSource {
  if (seed === undefined) {
    return { hex: (bytes) => randomBytes(bytes).toString("hex"), fraction: () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48 };
  }
  let counter = 0;
  let pool = Buffer.alloc(0);
  const take = (bytes: number): Buffer => {
    while (pool.length < bytes) {
      pool = Buffer.concat([pool, createHash("sha256").update(`${String(seed)}/${stream}/${counter++}`).digest()]);
    }
    const out = pool.subarray(0, bytes);
    pool = pool.subarray(bytes);
    return out;
  };
  return { hex: (bytes) => take(bytes).toString("hex"), fraction: () => take(6).readUIntBE(0, 6) / 2 ** 48 };
}
