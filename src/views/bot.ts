import { appIdOf, showsAppId } from "../domain/app-id.js";
import type { Bot, Portal } from "../store/state.js";

/** Bot as everyone sees it. */
export function botBriefView(bot: Bot, portal: Portal): Record<string, unknown> {
  return {
    id: bot.id,
    code: bot.code,
    type: bot.type,
    isHidden: bot.isHidden,
    isSupportOpenline: bot.isSupportOpenline,
    isReactionsEnabled: bot.isReactionsEnabled,
    backgroundId: bot.backgroundId,
    language: portal.language,
  };
}

/** Bot as its owner sees it: the brief view plus mode and counters. */
export function botExtendedView(bot: Bot, portal: Portal): Record<string, unknown> {
  const chats = Object.values(portal.chats).filter((c) => c.members.includes(bot.id));
  return {
    ...botBriefView(bot, portal),
    moduleId: "rest",
    eventMode: bot.eventMode,
    countMessage: bot.countMessage,
    countCommand: Object.values(portal.commands).filter((c) => c.botId === bot.id).length,
    countChat: chats.filter((c) => c.type !== "private").length,
    countUser: chats.filter((c) => c.type === "private").length,
  };
}

/**
 * The owner's view in the emulated REST revision: before 35 (BOT-FIX-0501-3) it also named the
 * bot's application as `appId`, in Bot.* answers and in every ONIMBOTV2* event alike.
 */
export function botOwnerView(restRevision: number): (bot: Bot, portal: Portal) => Record<string, unknown> {
  if (!showsAppId(restRevision)) return botExtendedView;
  return (bot, portal) => ({ ...botExtendedView(bot, portal), appId: appIdOf(bot) });
}
