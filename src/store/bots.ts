import { without } from "./lists.js";
import type { Bot, Portal } from "./state.js";

/**
 * Takes a bot out of its portal: its commands, answer windows and unread events go, it leaves its
 * chats, and its user record stays, inactive, because messages keep naming their author. Events
 * about the deletion must be raised before this.
 */
export function removeBot(portal: Portal, bot: Bot): void {
  portal.events = without(portal.events, (event) => event.botId === bot.id);
  for (const command of Object.values(portal.commands)) {
    if (command.botId === bot.id) delete portal.commands[command.id];
  }
  portal.answerGrants = without(portal.answerGrants, (grant) => grant.botId === bot.id);
  for (const chat of Object.values(portal.chats)) {
    chat.members = without(chat.members, (id) => id === bot.id);
    chat.managers = without(chat.managers, (id) => id === bot.id);
  }
  const user = portal.users[bot.id];
  if (user) user.active = false;
  delete portal.bots[bot.id];
}
