import type { Command, Portal } from "../store/state.js";
import { fullName } from "../store/messages.js";

export function commandView(command: Command): Record<string, unknown> {
  return {
    id: command.id,
    botId: command.botId,
    command: `/${command.command}`,
    common: command.common,
    hidden: command.hidden,
    extranetSupport: command.extranetSupport,
  };
}

/** Command.list adds texts in the portal's language (then English, then any) and the bot's name. */
export function commandListView(command: Command, portal: Portal): Record<string, unknown> {
  const pick = (texts: Record<string, string>) =>
    texts[portal.language] ?? texts.en ?? Object.values(texts)[0] ?? "";
  const botUser = portal.users[command.botId];
  return {
    ...commandView(command),
    title: pick(command.title),
    params: pick(command.params),
    category: botUser ? fullName(botUser) : "",
    context: "",
  };
}
