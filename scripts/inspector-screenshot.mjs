// Takes docs/inspector.png: the inspector on a demo portal, in Debian's chromium.
// Usage: npm run screenshot (builds first)
/* global process, console, fetch */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startEmulator } from "../dist/index.js";

const emulator = await startEmulator();
const portal = await emulator.createPortal({ id: "demo" });
const rest = async (method, params) => {
  const response = await fetch(`${portal.webhookUrl}${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ botId: 456, botToken: portal.bots[0].botToken, ...params }),
  });
  return (await response.json()).result;
};

await portal.control.addToChat("chat5", { userIds: [2], addedBy: 1 });
await portal.control.createChat({ title: "Sales team", ownerId: 1, members: [2] });
await portal.control.userSays({ authorId: 2, dialogId: "456", text: "hi bot" });
const { message } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
await rest("imbot.v2.Command.answer", {
  commandId: 42,
  messageId: message.id,
  dialogId: "chat5",
  fields: {
    message: "[b]Support Bot[/b] can help with:\n[send=/help orders]Orders[/send] · [send=/help billing]Billing[/send] · [put=/help ]Ask anything[/put]",
    keyboard: [
      { TEXT: "Track my order", COMMAND: "help", COMMAND_PARAMS: "orders", BG_COLOR_TOKEN: "primary" },
      { TEXT: "Talk to a person", COMMAND: "help", COMMAND_PARAMS: "human" },
      { TEXT: "Closed today", COMMAND: "help", DISABLED: "Y" },
    ],
  },
});
await portal.control.userSays({ authorId: 2, dialogId: "chat5", text: "[USER=456]Support Bot[/USER] where is order [i]#1042[/i]?" });
const order = await rest("imbot.v2.Chat.Message.send", {
  dialogId: "chat5",
  fields: {
    message: "Order [b]#1042[/b] is on its way.",
    attach: {
      COLOR_TOKEN: "primary",
      BLOCKS: [
        { GRID: [{ NAME: "Status", VALUE: "[b]Shipped[/b]", DISPLAY: "LINE" }, { NAME: "Carrier", VALUE: "DHL", DISPLAY: "LINE" }, { NAME: "ETA", VALUE: "Friday", DISPLAY: "LINE" }] },
        { DELIMITER: { SIZE: 300, COLOR: "#c8d0d4" } },
        { LINK: { NAME: "Track the parcel", LINK: "https://example.com/track/1042", DESC: "Updated 5 minutes ago" } },
        { FILE: [{ NAME: "invoice-1042.pdf", LINK: "https://example.com/invoice-1042.pdf", SIZE: 48213 }] },
      ],
    },
  },
});
await portal.control.userReacts({ userId: 2, messageId: order.id, reaction: "like" });
await portal.control.userReacts({ userId: 1, messageId: order.id, reaction: "fire" });
await portal.control.userSays({ authorId: 2, dialogId: "chat5", text: "Thanks! <script>alert(1)</script> stays text.", replyId: order.id });
// A fault rule answers one call, and a call with a string botId leaves a conformance finding.
portal.control.addFault({ method: "imbot.v2.Chat.Message.send", error: "QUERY_LIMIT_EXCEEDED", status: 503, times: 1 });
await rest("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "rate-limited" } });
await rest("imbot.v2.Chat.Message.read", { botId: "456", dialogId: "chat5" });
await rest("imbot.v2.Command.answer", { commandId: 42, messageId: message.id, dialogId: "chat5", fields: { message: "A system answer, as a bot outside the chat gives.", system: true } });
await rest("imbot.v2.Command.answer", { commandId: 42, messageId: 999999, dialogId: "chat5", fields: { message: "late" } });

const profile = await mkdtemp(join(tmpdir(), "inspector-shot-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1440, height: 860 },
  deviceScaleFactor: 1,
});
const page = await browser.newPage();
await page.goto(`${emulator.httpUrl}/#portal=demo`);
await page.locator("#live.live-live").waitFor();
await page.locator(".attach").waitFor();
await page.locator(".call-error").first().waitFor();
await page.locator(".call-error summary").first().click();
await page.locator("#composer-input").fill("Where is my parcel?");
// The actions a message offers on hover (Reply, React, Edit, Delete, Details).
await page.locator(`.msg[data-id="${order.id}"] .msg-text`).hover();
await page.screenshot({ path: "docs/inspector.png" });
await browser.close();
await rm(profile, { recursive: true, force: true });
await emulator.close();
console.log("wrote docs/inspector.png");
