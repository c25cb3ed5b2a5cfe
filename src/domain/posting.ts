/**
 * How a bot's answer appears: as the bot when it sits in the chat and did not ask for a system
 * message; otherwise as a system message that names the bot (the temporary command grant lets a
 * non-member answer, but only that way).
 */
export function answersAsSystem(members: readonly number[], botId: number, systemRequested: boolean): boolean {
  return systemRequested || !members.includes(botId);
}

/** The portal prefixes `[USER=id]name[/USER][BR]`; stored text keeps line breaks as "\n". */
export function systemAnswerText(botId: number, botFullName: string, text: string): string {
  const author = `[USER=${botId}]${botFullName}[/USER]`;
  return text === "" ? author : `${author}\n${text}`;
}

/** A bot's system message in a group chat opens with the bot's name, so people see who posted it. */
export function signedSystemText(botName: string, text: string): string {
  return [`${botName}:`, text].filter(Boolean).join("\n");
}
