import type { App, Bot, Portal } from "../../store/state.js";
import { ownerKeyOfBot } from "../../store/v1-handlers.js";
import type { EventSink } from "../sink.js";

/**
 * The `auth` blocks of a v1 event (spec v1.md §6.1). An OAuth owner gets live access tokens with
 * their refresh tokens: the top-level one acts as the user who caused the event, the one beside
 * each bot acts as the bot. A webhook owner has no app to issue tokens, so its blocks carry only
 * where to call and the application_token, which is the owner's CLIENT_ID (spec OPEN-V10).
 */
export function v1TopAuth(portal: Portal, sink: EventSink, bot: Bot, actingUserId: number): Record<string, unknown> {
  const app = appOf(portal, bot);
  const { client, server } = sink.endpoints();
  const base = { domain: portal.domain, client_endpoint: client, server_endpoint: server, member_id: portal.memberId, application_token: applicationTokenOf(bot) };
  if (!app) return base;
  const tokens = sink.appTokens(app, actingUserId);
  return { ...tokens, status: "L", ...base };
}

/** `data[BOT][id]` / `data[COMMAND][id]` without the command keys. */
export function v1BotBlock(portal: Portal, sink: EventSink, bot: Bot): Record<string, unknown> {
  const app = appOf(portal, bot);
  const ids = { BOT_ID: bot.id, BOT_CODE: bot.code };
  if (!app) return { AUTH: { domain: portal.domain, member_id: portal.memberId, application_token: applicationTokenOf(bot) }, ...ids };
  const { client, server } = sink.endpoints();
  const tokens = {
    ...sink.appTokens(app, bot.id),
    domain: portal.domain,
    server_endpoint: server,
    status: "L",
    client_endpoint: client,
    member_id: portal.memberId,
    client_id: app.clientId,
    application_token: app.applicationToken,
  };
  return { ...tokens, AUTH: tokens, ...ids };
}

function applicationTokenOf(bot: Bot): string {
  return bot.clientId !== null ? bot.applicationToken : ownerKeyOfBot(bot).replace(/^custom/, "");
}

function appOf(portal: Portal, bot: Bot): App | undefined {
  return bot.clientId === null ? undefined : portal.apps.find((a) => a.clientId === bot.clientId);
}
