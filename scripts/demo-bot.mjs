// A demo bot for the inspector: joins chat5 of a running emulator and answers /help, /echo and
// /card with BB-code, an ATTACH and a KEYBOARD. Fetch mode: it polls Event.get, so nothing listens.
// Usage: npm start (one terminal), then npm run demo-bot (another), then open http://127.0.0.1:3000/
/* global process, console, fetch, setTimeout */

const base = process.env.EMULATOR_URL ?? "http://127.0.0.1:3000";
const portalId = process.env.PORTAL ?? "default";
const botToken = "demo_bot_token";

async function post(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${url}: ${json.error}: ${json.error_description}`);
  return json;
}

const portal = await (await fetch(`${base}/_emulator/portals/${portalId}`)).json();
const rest = (method, params) => post(`${portal.webhookUrl}${method}`, { botToken, ...params }).then((r) => r.result);

const { bot } = await rest("imbot.v2.Bot.register", {
  fields: { code: "demo_bot", botToken, eventMode: "fetch", properties: { name: "Demo Bot", color: "AQUA" } },
});
const commands = [
  { command: "help", title: { en: "What Demo Bot can do" } },
  { command: "echo", title: { en: "Say it back" }, params: { en: "text" } },
  { command: "card", title: { en: "An order card: BB-code, ATTACH and KEYBOARD" }, params: { en: "order number" } },
];
for (const fields of commands) await rest("imbot.v2.Command.register", { botId: bot.id, fields });
await post(`${base}/_emulator/portals/${portalId}/chats/chat5/members`, { userIds: [bot.id], addedBy: 1 });
console.log(`Demo Bot (${bot.id}) is in chat5 of portal "${portalId}": open ${base}/ and type /help`);

function reply(command, params) {
  if (command === "echo") return { message: params ? `You said: [i]${params}[/i]` : "Say something after /echo" };
  if (command === "card") {
    const order = params || "1042";
    return {
      message: `Order [b]#${order}[/b] is on its way.`,
      attach: {
        COLOR_TOKEN: "primary",
        BLOCKS: [
          { GRID: [{ NAME: "Status", VALUE: "[b]Shipped[/b]", DISPLAY: "LINE" }, { NAME: "ETA", VALUE: "Friday", DISPLAY: "LINE" }] },
          { DELIMITER: { SIZE: 300, COLOR: "#c8d0d4" } },
          { LINK: { NAME: "Track the parcel", LINK: `https://example.com/track/${order}`, DESC: "Updated 5 minutes ago" } },
        ],
      },
      keyboard: [
        { TEXT: "Where is it now?", COMMAND: "echo", COMMAND_PARAMS: `where is ${order}`, BG_COLOR_TOKEN: "primary" },
        { TEXT: "Cancel", COMMAND: "echo", COMMAND_PARAMS: "cancel", BG_COLOR_TOKEN: "alert", BLOCK: "Y" },
      ],
    };
  }
  return {
    message: "[b]Demo Bot[/b] knows:\n[send=/help]/help[/send] this list\n[put=/echo ]/echo[/put] [i]text[/i] says it back\n[send=/card 1042]/card[/send] an order card with an attachment and buttons",
  };
}

let offset = 0;
for (;;) {
  const page = await rest("imbot.v2.Event.get", { botId: bot.id, offset, limit: 50 }).catch((error) => {
    console.error(error.message);
    return { events: [], nextOffset: offset };
  });
  for (const event of page.events ?? []) {
    if (event.type !== "ONIMBOTV2COMMANDADD") continue;
    const { command, message, chat } = event.data;
    const name = String(command.command).replace(/^\//, "");
    await rest("imbot.v2.Command.answer", {
      botId: bot.id,
      commandId: command.id,
      messageId: message.id,
      dialogId: chat.dialogId,
      fields: reply(name, command.params),
    }).catch((error) => console.error(error.message));
  }
  offset = page.nextOffset ?? offset;
  await new Promise((resolve) => setTimeout(resolve, 300));
}
