import { z } from "zod";
import { EVENT_TYPES } from "../events/types.js";

/**
 * Fault rules a test injects into one portal (issue 12 items 3 and 4). A rule on the REST path
 * (`target: "rest"`, the default) answers matching calls with an error, a delay or a dropped
 * connection; a rule on event delivery (`target: "delivery"`) drops, delays, duplicates or times
 * out the events of matching bots. Each fires at most `times` times, then the portal behaves
 * normally again.
 */

const times = z.number().int().positive().optional();
const probability = z.number().min(0).max(1).default(1);
const delayMs = z.number().int().min(0).max(60_000);

export const restFaultSchema = z
  .strictObject({
    target: z.literal("rest").default("rest"),
    /** A REST method name, case-insensitive; `*` matches any run of characters (`imbot.v2.Chat.*`, `*`). */
    method: z.string().min(1).max(200),
    /** The Bitrix error code to answer with, e.g. QUERY_LIMIT_EXCEEDED. */
    error: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, "an error code: letters, digits and _").optional(),
    /** The HTTP status of that error; default the catalogue's, or 500 for a code it does not know. */
    status: z.number().int().min(400).max(599).optional(),
    description: z.string().max(1000).optional(),
    /** Wait this long before answering (then answer normally, or with `error`). */
    delayMs: delayMs.optional(),
    /** Drop the connection without an answer, as a crashed proxy or portal does. */
    reset: z.literal(true).optional(),
    times,
    probability,
  })
  .refine((r) => r.error !== undefined || r.delayMs !== undefined || r.reset !== undefined, {
    message: "give error, delayMs or reset",
    path: ["error"],
  })
  .refine((r) => r.status === undefined || r.error !== undefined, { message: "status needs error", path: ["status"] })
  .refine((r) => !(r.reset && r.error !== undefined), { message: "a dropped connection carries no error", path: ["reset"] });

export const deliveryFaultSchema = z
  .strictObject({
    target: z.literal("delivery"),
    /** Only this bot's events; default every bot of the portal. */
    botId: z.number().int().positive().optional(),
    /** Only this event type. */
    event: z.enum(EVENT_TYPES).optional(),
    /**
     * drop: never sent (webhook) or never queued (fetch); delay: held back `delayMs`, later events of
     * the bot wait behind it; duplicate: sent or served twice; timeout: the handler gets `timeoutMs`.
     */
    action: z.enum(["drop", "delay", "duplicate", "timeout"]),
    delayMs: delayMs.optional(),
    timeoutMs: z.number().int().min(1).max(60_000).optional(),
    /** How many events the rule applies to. */
    times,
    probability,
  })
  .refine((r) => r.action !== "delay" || r.delayMs !== undefined, { message: "delay needs delayMs", path: ["delayMs"] })
  .refine((r) => r.action !== "timeout" || r.timeoutMs !== undefined, { message: "timeout needs timeoutMs", path: ["timeoutMs"] });

export type RestFaultInput = z.input<typeof restFaultSchema>;
export type DeliveryFaultInput = z.input<typeof deliveryFaultSchema>;
export type FaultInput = RestFaultInput | DeliveryFaultInput;

export type RestFaultSpec = z.output<typeof restFaultSchema>;
export type DeliveryFaultSpec = z.output<typeof deliveryFaultSchema>;

/** A rule as stored and listed: its spec, its id and how often it fired. */
export type FaultRule = (RestFaultSpec | DeliveryFaultSpec) & {
  id: number;
  fired: number;
  /** False once `times` is used up. */
  active: boolean;
};

export type RestFaultRule = RestFaultSpec & { id: number; fired: number; active: boolean };
export type DeliveryFaultRule = DeliveryFaultSpec & { id: number; fired: number; active: boolean };

/** `*` in a rule's method stands for any run of characters; everything else matches literally, any case. */
export function methodPattern(method: string): RegExp {
  const literal = method.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${literal.join(".*")}$`, "i");
}
