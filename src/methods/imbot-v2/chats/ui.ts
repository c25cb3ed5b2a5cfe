import { EmulatorError } from "../../../errors/emulator-error.js";
import { boolParam, boundParam, toOptionalString } from "../../params/coerce.js";
import { bindOptionalInt } from "../../params/binder.js";
import { booleanResult } from "../../types.js";
import { bindChatRef, requireBotChat } from "./lookup.js";
import { defineBotMethod } from "../define.js";

const STATUS_CODES = [
  "THINKING", "SEARCHING", "GENERATING", "ANALYZING", "PROCESSING", "TRANSLATING", "CONNECTING", "CHECKING",
  "CALCULATING", "READING_DOCS", "COMPOSING",
].map((name) => `IMBOT_AGENT_ACTION_${name}`);

/** What a client shows when the bot does not say how long: the typing indicator's own default. */
const DEFAULT_DURATION_SECONDS = 30;

/**
 * imbot.v2.Chat.InputAction.notify (spec v2-complete.md §2): "the bot is typing" (or one of the agent
 * statuses) in a group or 1:1 chat the bot is in. A portal only pushes it to clients; the emulator
 * keeps the latest per bot and chat for the control API. `duration` is clamped into 1..600 s; an
 * unknown status code is plain typing.
 */
export const inputActionNotify = defineBotMethod({
  name: "imbot.v2.Chat.InputAction.notify",
  mutates: true,
  params: { dialogId: boundParam("string"), chatId: boundParam("int"), statusMessageCode: boundParam("string"), duration: boundParam("int") },
  handler(ctx, params, bot) {
    bindChatRef(params);
    const given = bindOptionalInt(params.duration, "duration", DEFAULT_DURATION_SECONDS);
    const chat = requireBotChat(ctx, bot, params);
    const requested = toOptionalString(params.statusMessageCode)?.trim().toUpperCase() ?? "";
    const code = STATUS_CODES.includes(requested) ? requested : "";
    if (requested !== "" && code === "") ctx.log.info(`Chat.InputAction.notify: unknown statusMessageCode "${requested}"; shown as plain typing`);
    const seconds = Math.min(600, Math.max(1, given));
    const until = new Date(ctx.now.getTime() + seconds * 1000).toISOString();
    const others = (ctx.portal.inputActions ?? []).filter((a) => !(a.botId === bot.id && a.chatId === chat.id) && Date.parse(a.until) > ctx.now.getTime());
    ctx.portal.inputActions = [...others, { botId: bot.id, chatId: chat.id, code, until }];
    return booleanResult(ctx);
  },
});

/**
 * imbot.v2.Chat.TextField.enabled (spec v2-complete.md §2): switches the chat's input field. While it
 * is off, people cannot type there (the control API refuses with TEXT_FIELD_DISABLED); bots and
 * keyboard presses are unaffected.
 */
export const textFieldEnabled = defineBotMethod({
  name: "imbot.v2.Chat.TextField.enabled",
  mutates: true,
  params: { dialogId: boundParam("string"), chatId: boundParam("int"), enabled: boolParam(true) },
  handler(ctx, params, bot) {
    const chat = requireBotChat(ctx, bot, params);
    // Before revision 34 (BOT-FIX-0408-5) the portal checked group roles instead of membership, so the bot's own 1:1 dialogs were refused.
    if (ctx.settings.restRevision < 34 && chat.type === "private") {
      throw new EmulatorError("ACCESS_DENIED", `Chat.TextField.enabled: REST revision ${ctx.settings.restRevision} refuses 1:1 dialogs (changed in revision 34)`);
    }
    chat.textFieldEnabled = params.enabled;
    return booleanResult(ctx);
  },
});
