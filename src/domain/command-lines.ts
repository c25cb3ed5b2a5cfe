/** A slash command as typed on one line of a message: `/name params...`. */
export interface CommandLine {
  name: string;
  params: string;
}

/**
 * Every line that starts with `/` is a command call (server-source): the name runs to the first
 * space, the params are the rest of that line after one space.
 */
export function parseCommandLines(text: string): CommandLine[] {
  const calls: CommandLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\/(\S+)(?: (.*))?$/.exec(line.trimEnd());
    if (match) calls.push({ name: match[1] as string, params: match[2] ?? "" });
  }
  return calls;
}

/** Whether a user may call this command here: `common`, or the bot's 1:1 dialog, or its membership. */
export function commandCallable(
  command: { common: boolean; extranetSupport: boolean; botId: number },
  chat: { type: string; members: readonly number[] },
  author: { extranet: boolean },
): boolean {
  if (author.extranet && !command.extranetSupport) return false;
  return command.common || chat.members.includes(command.botId);
}
