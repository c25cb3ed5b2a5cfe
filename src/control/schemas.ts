import { z } from "zod";

/** Bodies and queries of the control API, validated at the edge (CONTROL_ARGUMENT on failure). */
const id = z.coerce.number().int().positive();

export const userSaysSchema = z.strictObject({
  authorId: id,
  dialogId: z.coerce.string().min(1),
  text: z.string().min(1).max(100_000),
  /** The message this one replies to (a quote in the UI). */
  replyId: id.optional(),
});

export const pressButtonSchema = z
  .strictObject({
    userId: id,
    messageId: id,
    buttonIndex: z.number().int().nonnegative().optional(),
    command: z.string().min(1).optional(),
    /** Press a BLOCK=Y button again although this person already pressed it (OPEN-N7). */
    force: z.boolean().optional(),
  })
  .refine((b) => b.buttonIndex !== undefined || b.command !== undefined, {
    message: "give buttonIndex or command",
    path: ["buttonIndex"],
  });

export const createUserSchema = z.strictObject({
  firstName: z.string().min(1),
  lastName: z.string().default(""),
  workPosition: z.string().default(""),
  gender: z.enum(["M", "F"]).default("M"),
  email: z.string().default(""),
  extranet: z.boolean().default(false),
});

export const createChatSchema = z.strictObject({
  title: z.string().default(""),
  ownerId: id,
  members: z.array(id).default([]),
  type: z.enum(["chat", "open", "lines"]).default("chat"),
  /** The pair imbot.chat.get / im.chat.get find the chat by; a "lines" chat's type is LINES whatever is given. */
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(255).optional(),
});

export const membersSchema = z.strictObject({
  userIds: z.array(id).min(1),
  addedBy: id.optional(),
});

export const createPortalSchema = z.strictObject({
  id: z.string().optional(),
  fixture: z.unknown().optional(),
});

/** Move a clock by some seconds (negative goes back), or set it to an instant: exactly one of the two. */
export const clockSchema = z.union(
  [
    z.strictObject({ advanceSeconds: z.number().finite(), now: z.undefined().optional() }),
    z.strictObject({ now: z.iso.datetime({ offset: true }), advanceSeconds: z.undefined().optional() }),
  ],
  { error: "give advanceSeconds (a number) or now (an ISO 8601 date-time), not both" },
);

export const waitSchema = z.strictObject({
  for: z.enum(["message", "call", "delivery"]),
  dialogId: z.string().optional(),
  viewerId: id.optional(),
  authorId: z.coerce.number().int().nonnegative().optional(),
  textContains: z.string().optional(),
  method: z.string().optional(),
  error: z.string().optional(),
  botId: id.optional(),
  event: z.string().optional(),
  afterId: z.coerce.number().int().nonnegative().default(0),
  timeout: z.coerce.number().int().min(0).max(60_000).default(5_000),
});

export type UserSays = z.infer<typeof userSaysSchema>;
export type PressButton = z.infer<typeof pressButtonSchema>;
export type CreateUser = z.input<typeof createUserSchema>;
export type CreateChat = z.input<typeof createChatSchema>;
export type WaitQuery = z.input<typeof waitSchema>;
export type ClockMove = z.infer<typeof clockSchema>;
