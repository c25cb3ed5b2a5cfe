/**
 * Which bots see a message (spec events.md §4): never system messages, nor any message a bot wrote
 * (spec v2-complete.md §4 X2: `getBotsForMessage` skips bot authors, mention or supervisor alike);
 * in a 1:1 dialog everything; in a group chat only as a member, and a plain `bot` only when mentioned.
 */
export type BotType = "bot" | "supervisor" | "personal" | "openline" | "network";

export function mentions(text: string, userId: number): boolean {
  return new RegExp(`\\[user=${userId}\\][\\s\\S]*?\\[/user\\]`, "i").test(text);
}

export function botSeesMessage(
  bot: { id: number; type: BotType },
  chat: { type: string; members: readonly number[] },
  message: { authorId: number; isSystem: boolean; text: string },
  authorIsBot: boolean,
): boolean {
  if (message.isSystem || message.authorId === 0 || message.authorId === bot.id || authorIsBot) return false;
  if (!chat.members.includes(bot.id)) return false;
  if (chat.type === "private") return true;
  if (bot.type === "supervisor" || bot.type === "personal") return true;
  return mentions(message.text, bot.id);
}
