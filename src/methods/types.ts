import type { z } from "zod";
import type { EventSink } from "../events/sink.js";
import type { WebhookTargets } from "../events/webhook-targets.js";
import type { Logger } from "../logger.js";
import type { RandomSource } from "../random/random-source.js";
import type { Caller } from "../rest/auth.js";
import type { FidelitySettings } from "../settings.js";
import type { Portal } from "../store/state.js";
import type { FileChanges } from "../store/file-bytes.js";
import type { ConformanceFinding } from "../domain/conformance.js";

/** Everything a handler may touch: its caller's portal and nothing else. */
export interface MethodContext {
  portal: Portal;
  caller: Caller;
  settings: FidelitySettings;
  /** The portal's clock when the call began. */
  now: Date;
  /** Milliseconds since the call began; always 0 under a frozen clock. */
  elapsedMs: () => number;
  /** Where generated ids, tokens and secrets come from (reproducible with a seed). */
  random: RandomSource;
  log: Logger;
  /** Raise ONIMBOTV2* events here; webhook ones are sent once the change is stored. */
  events: EventSink;
  /** Stage the bytes of files the call shares here; the store keeps them beside the state, with the change. */
  files: FileChanges;
  /** Where a bot's webhookUrl may point (`--webhook-allow`); never the emulator itself. */
  webhookTargets: WebhookTargets;
  /** Runs another method as the same caller, in the same change (batch). */
  /** Runs a batch sub-call as this caller; `batchKey` names it in the conformance findings. */
  invoke(method: string, params: Record<string, unknown>, batchKey: string): InvokeOutcome;
  /** Reports a deviation from the documented contract that the call gets away with (conformance report). */
  flag(finding: ConformanceFinding): void;
}

export type { ConformanceFinding } from "../domain/conformance.js";

export type InvokeOutcome = { ok: true; result: unknown } | { ok: false; error: string; description: string; status: number };

/**
 * A REST method as data. Handlers run synchronously, check everything before changing anything
 * (a refused call leaves the store untouched), and return plain data for the envelope.
 */
export interface MethodDefinition<P = unknown> {
  name: string;
  scope: string;
  mutates: boolean;
  /** Refused inside batch (nested batch, file transfer) with ERROR_BATCH_METHOD_NOT_ALLOWED. */
  batchable?: boolean;
  params: z.ZodType<P>;
  handler(ctx: MethodContext, params: P): unknown;
}

export function defineMethod<S extends z.ZodType>(definition: {
  name: string;
  scope: string;
  mutates: boolean;
  batchable?: boolean;
  params: S;
  handler(ctx: MethodContext, params: z.output<S>): unknown;
}): MethodDefinition<z.output<S>> {
  return definition as MethodDefinition<z.output<S>>;
}

/** Boolean-result methods answer `{result: true}` nested, or bare `true` on the old-docs switch. */
export function booleanResult(ctx: MethodContext): unknown {
  return ctx.settings.booleanResultShape === "bare" ? true : { result: true };
}

/** What new-message flows need from the context. */
export function flowOptions(ctx: MethodContext): { now: Date; answerWindowSeconds: number } {
  return { now: ctx.now, answerWindowSeconds: ctx.settings.answerWindowSeconds };
}
