import { timingSafeEqual } from "node:crypto";

/**
 * Compares secrets without leaking, through timing, how much of a guess was right (only whether
 * the lengths differ, which says nothing about the content).
 */
export function secretEquals(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
