import { setTimeout as sleep } from "node:timers/promises";
import { ERROR_CATALOGUE, isErrorCode } from "../errors/catalogue.js";
import type { RestFaultRule } from "../faults/rules.js";
import { errorEnvelope, type RestResponse, type StatusOverrides } from "./envelope.js";

/** Thrown through the REST pipeline when a fault rule answers a call instead of its method. */
export class InjectedFault extends Error {
  constructor(readonly response: RestResponse) {
    super("injected fault");
  }
}

/**
 * Carries out a REST fault rule: waits its delay, then answers with its error or drops the
 * connection. A rule with only a delay lets the call go on normally afterwards.
 */
export async function applyRestFault(rule: RestFaultRule, overrides: StatusOverrides): Promise<void> {
  if (rule.delayMs) await sleep(rule.delayMs);
  if (rule.reset) throw new InjectedFault({ status: 0, body: { error: "CONNECTION_RESET", error_description: "" }, dropConnection: true });
  if (rule.error === undefined) return;
  const known = isErrorCode(rule.error) ? ERROR_CATALOGUE[rule.error] : undefined;
  const status = rule.status ?? (known ? (overrides[rule.error as keyof typeof ERROR_CATALOGUE] ?? known.status) : 500);
  const description = rule.description ?? known?.description ?? `Injected fault ${rule.id}`;
  throw new InjectedFault(errorEnvelope(rule.error, description, status));
}
