/** Stored dates are ISO strings in UTC; Bitrix shows them with a numeric offset and whole seconds. */
export function isoWithOffsetFromIso(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}
