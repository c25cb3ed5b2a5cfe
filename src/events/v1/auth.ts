import { randomBytes } from "node:crypto";
import { without } from "../../store/lists.js";
import type { App, Bot, Portal } from "../../store/state.js";
import { ownerKeyOfBot } from "../../store/v1-handlers.js";

const TOKEN_LIFETIME_SECONDS = 3600;
const SERVER_ENDPOINT = "https://oauth.bitrix.info/rest/";

/** Where and for whom a v1 event is signed; built once per POST. */
export interface V1Signer {
  portal: Portal;
  now: Date;
  clientEndpoint: string;
}

/**
 * The `auth` blocks of a v1 event (spec v1.md §6.1). An OAuth owner gets live access tokens: the
 * top-level one acts as the user who caused the event, the one beside each bot acts as the bot.
 * A webhook owner has no app to issue tokens, so both carry only where to call and the
 * application_token, which is the owner's CLIENT_ID (spec OPEN-V10).
 */
export function v1TopAuth(signer: V1Signer, bot: Bot, actingUserId: number): Record<string, unknown> {
  const app = appOf(signer.portal, bot);
  const base = {
    domain: signer.portal.domain,
    client_endpoint: signer.clientEndpoint,
    server_endpoint: SERVER_ENDPOINT,
    member_id: signer.portal.memberId,
    application_token: applicationTokenOf(bot),
  };
  return app ? { ...tokenSet(signer, app, actingUserId), ...base } : base;
}

/** `data[BOT][id]` / `data[COMMAND][id]` without the command keys. */
export function v1BotBlock(signer: V1Signer, bot: Bot): Record<string, unknown> {
  const app = appOf(signer.portal, bot);
  const ids = { BOT_ID: bot.id, BOT_CODE: bot.code };
  if (!app) {
    const auth = { domain: signer.portal.domain, member_id: signer.portal.memberId, application_token: applicationTokenOf(bot) };
    return { AUTH: auth, ...ids };
  }
  const tokens = {
    ...tokenSet(signer, app, bot.id),
    domain: signer.portal.domain,
    server_endpoint: SERVER_ENDPOINT,
    status: "L",
    client_endpoint: signer.clientEndpoint,
    member_id: signer.portal.memberId,
    user_id: bot.id,
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

/** An access token of the app acting as `userId` with at least ten minutes left, minted when there is none. */
function tokenSet(signer: V1Signer, app: App, userId: number): Record<string, unknown> {
  const nowMs = signer.now.getTime();
  let token = app.tokens.find((t) => t.userId === userId && t.expiresAt !== null && Date.parse(t.expiresAt) - nowMs > 600_000);
  if (!token) {
    app.tokens = without(app.tokens, (t) => t.expiresAt !== null && Date.parse(t.expiresAt) <= nowMs);
    token = { accessToken: randomBytes(16).toString("hex"), userId, expiresAt: new Date(nowMs + TOKEN_LIFETIME_SECONDS * 1000).toISOString() };
    app.tokens.push(token);
  }
  return {
    access_token: token.accessToken,
    expires: Math.floor(Date.parse(token.expiresAt as string) / 1000),
    expires_in: TOKEN_LIFETIME_SECONDS,
    scope: "imbot",
    status: "L",
    user_id: userId,
  };
}
