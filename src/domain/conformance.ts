/** One deviation from the documented contract that a call got away with (the conformance report). */
export interface ConformanceFinding {
  /** `unknown-param`, `integer-as-string`, `deprecated-flat-command-register`, ... (README, "Conformance report"). */
  rule: string;
  /** The parameter, dotted for nested ones (`fields.system`). */
  param: string;
  detail: string;
  /** The `cmd` key of the batch sub-call that showed it (the finding is on the batch's journal entry). */
  batchKey?: string;
}

/** A portal's findings by rule: how often each was seen and the first few calls that showed it. */
export interface ConformanceSummary {
  calls: number;
  rules: { rule: string; count: number; examples: { callId: number; method: string; param: string; detail: string }[] }[];
}
