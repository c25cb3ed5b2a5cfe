import { createHash, timingSafeEqual } from "node:crypto";

/** Compares secrets without leaking, through timing, how much of a guess was right. */
export function secretEquals(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
