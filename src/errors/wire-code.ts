/**
 * The `error` value a refusal carries on the wire. The binder's code is the text "100" since REST
 * 25.700; before, the JSON number 100, which `numericBinderCode` brings back (spec v2-complete §4 b).
 * Top-level errors and batch sub-errors alike go through here.
 */
export function wireErrorCode(code: string, settings: { numericBinderCode?: boolean }): string | number {
  return settings.numericBinderCode && code === "100" ? 100 : code;
}
