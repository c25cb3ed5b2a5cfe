import type { Bot } from "../../../store/state.js";
import type { MethodContext } from "../../types.js";

/** Both are silent on a portal, and both leave a newcomer's webhook bot without events. */

export function warnIgnoredWebhookUrl(ctx: MethodContext, eventMode: Bot["eventMode"], webhookUrl: string): void {
  if (eventMode !== "fetch" || webhookUrl === "") return;
  ctx.log.warn(
    `Bot.register: webhookUrl is ignored because eventMode is "fetch" (the default); the bot must poll imbot.v2.Event.get. Send eventMode: "webhook" to have events POSTed to ${webhookUrl}`,
  );
}

/** What a repeated registration asked for that differs from the stored bot, which it leaves as it is. */
export function warnUnchangedRegistration(ctx: MethodContext, bot: Bot, asked: Partial<Pick<Bot, "eventMode" | "webhookUrl" | "type">>): void {
  const differences = (Object.keys(asked) as (keyof typeof asked)[])
    .filter((key) => asked[key] !== undefined && asked[key] !== bot[key])
    .map((key) => `${key} ${JSON.stringify(asked[key])} (it stays ${JSON.stringify(bot[key])})`);
  if (differences.length === 0) return;
  ctx.log.warn(
    `Bot.register: bot "${bot.code}" (${bot.id}) is already registered, so it is returned unchanged, as a portal does: ${differences.join(", ")} not applied; imbot.v2.Bot.update changes it`,
  );
}
