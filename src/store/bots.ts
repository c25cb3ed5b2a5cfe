import { removeChat } from "./chats.js";
import { without } from "./lists.js";
import { fullName } from "./messages.js";
import type { Bot, Portal } from "./state.js";

/** How a bot is named where its messages and lists name it: its user's full name, else its code. */
export function botName(portal: Portal, bot: Bot): string {
  const user = portal.users[bot.id];
  return user ? fullName(user) : bot.code;
}

/**
 * Takes a bot out of its portal: its commands and answer windows go, its 1:1 dialogs are deleted
 * with their messages (the portal deletes the bot's user, and a dialog dies with either side), it
 * leaves its group chats, and its user record stays, inactive, because group messages keep naming
 * their author. Its event queue is the caller's: the deletion event is raised before this and may
 * stay queued (spec OPEN-E4).
 */
export function removeBot(portal: Portal, bot: Bot): void {
  for (const command of Object.values(portal.commands)) {
    if (command.botId === bot.id) delete portal.commands[command.id];
  }
  portal.answerGrants = without(portal.answerGrants, (grant) => grant.botId === bot.id);
  for (const chat of Object.values(portal.chats)) {
    if (chat.type === "private" && chat.members.includes(bot.id)) {
      removeChat(portal, chat);
      continue;
    }
    chat.members = without(chat.members, (id) => id === bot.id);
    chat.managers = without(chat.managers, (id) => id === bot.id);
  }
  const user = portal.users[bot.id];
  if (user) user.active = false;
  delete portal.bots[bot.id];
}
