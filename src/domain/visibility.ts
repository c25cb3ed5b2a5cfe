import { isOpenLineChat } from "./chat-kind.js";

/**
 * Which bots see a message (spec events.md §4): never system messages, nor any message a bot wrote
 * (spec v2-complete.md §4 X2: `getBotsForMessage` skips bot authors, mention or supervisor alike);
 * in a 1:1 dialog everything; in a group chat only as a member, and a plain `bot` only when mentioned;
 * in an open-line chat every message, if the bot supports open lines.
 */
export type BotType = "bot" | "supervisor" | "personal" | "openline" | "network";

export function mentions(text: string, userId: number): boolean {
  return new RegExp(`\\[user=${userId}\\][\\s\\S]*?\\[/user\\]`, "i").test(text);
}

export function botSeesMessage(
  bot: { id: number; type: BotType; isSupportOpenline: boolean },
  chat: { type: string; members: readonly number[]; entityType?: string },
  message: { authorId: number; isSystem: boolean; text: string },
  authorIsBot: boolean,
): boolean {
  if (message.isSystem || message.authorId === 0 || message.authorId === bot.id || authorIsBot) return false;
  if (!chat.members.includes(bot.id)) return false;
  if (chat.type === "private") return true;
  // An open-line chat is for open-line bots only: each of them sees every message, and no other bot
  // sees any, mentioned or supervising (spec v1.md §6.2).
  if (isOpenLineChat(chat)) return bot.isSupportOpenline;
  if (bot.type === "supervisor" || bot.type === "personal") return true;
  return mentions(message.text, bot.id);
}

const MENTION = /\[user=(\d+)\][\s\S]*?\[\/user\]/gi;

/** The user ids mentioned in a text, in order of first mention. */
export function mentionedIds(text: string): number[] {
  const ids: number[] = [];
  for (const match of text.matchAll(MENTION)) {
    const id = Number(match[1]);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The text a v1 bot reads in a group chat: mention tags (and a comma right after one) taken out. */
export function withoutMentions(text: string): string {
  return text.replace(/\[user=\d+\][\s\S]*?\[\/user\],?/gi, "").trim();
}
