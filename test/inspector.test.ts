import { describe, expect, it } from "vitest";
import type { StreamEvent } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";
import { botSays, inspectorSuite, shown } from "./support/inspector-page.js";

/**
 * The inspector page in a real browser (Debian's chromium, driven by playwright-core) against a
 * listening emulator: one browser for the file, a fresh portal and page per test.
 */
const suite = inspectorSuite();
const { open } = suite;

const row = (id: number) => suite.page.locator(`.msg[data-id="${id}"]`);

describe("the inspector page", () => {
  it("is served at / with a strict Content-Security-Policy", async () => {
    const response = await fetch(`${suite.emulator.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const missing = await fetch(`${suite.emulator.httpUrl}/inspector/no-such-file.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("opens on chat5 and shows its history with author names", async () => {
    await open();
    await shown(suite.page.locator(".chat-title")).toContain("Support");
    const first = row(789);
    await shown(first.locator(".msg-author")).toBe("Anna Admin");
    await shown(first.locator(".msg-text")).toBe("/help");
    await shown(suite.page.locator(".chat-item.active")).toContain("Support");
  });

  it("shows a message posted over REST without a reload", async () => {
    const portal = await open();
    const id = await botSays(portal, { message: "Posted over REST" });
    await shown(row(id).locator(".msg-text")).toBe("Posted over REST");
    await shown(row(id).locator(".msg-author")).toBe("Support Bot");
    await shown(row(id).locator(".link-call")).toContain("imbot.v2.Chat.Message.send");
  });

  it("keeps a message that arrives while the chat's history is still being read", async () => {
    const portal = await suite.emulator.createPortal();
    const page = await suite.browser.context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      // The history is read now but reaches the page only after the bot has spoken and the stream
      // has told the page: the page it gets is older than the stream's news.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held!: () => void;
      const historyHeld = new Promise<void>((resolve) => (held = resolve));
      await page.route(/\/chats\/chat5\/messages\?/, async (route) => {
        const response = await route.fetch();
        held();
        await released;
        await route.fulfill({ response });
      });
      await page.goto(`${suite.emulator.httpUrl}/#portal=${portal.id}`);
      await historyHeld;
      const id = await botSays(portal, { message: "Said during the load" });
      await page.locator(`.call[data-id] .call-method`, { hasText: "imbot.v2.Chat.Message.send" }).waitFor();
      release();
      await shown(page.locator('.msg[data-id="789"] .msg-text')).toBe("/help");
      await shown(page.locator(`.msg[data-id="${id}"] .msg-text`)).toBe("Said during the load");
      expect(await page.locator(`.msg[data-id="${id}"]`).count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  it("stores what is typed in the composer as the chosen user's message", async () => {
    const portal = await open();
    await suite.page.locator("#acting").selectOption("1");
    await suite.page.locator("#composer-input").fill("Hello from the browser");
    await suite.page.locator("#composer-input").press("Enter");
    const stored = await portal.control.waitForMessage("chat5", { textContains: "Hello from the browser", timeout: 10_000 });
    expect(stored).toMatchObject({ authorId: 1, text: "Hello from the browser" });
    await shown(row(stored!.id).locator(".msg-author")).toBe("Anna Admin");
  });

  it("suggests slash commands with their titles, and Enter sends a command typed in full", async () => {
    const portal = await open();
    const input = suite.page.locator("#composer-input");
    await input.fill("/he");
    await shown(suite.page.locator(".suggestions li").first()).toContain("/help");
    await shown(suite.page.locator(".suggestions li").first()).toContain("Show help");
    await input.press("Tab");
    expect(await input.inputValue()).toBe("/help ");
    await input.fill("/help");
    await input.press("Enter");
    const typed = await portal.control.waitForMessage("chat5", { textContains: "/help", afterId: 789, timeout: 10_000 });
    expect(typed).toMatchObject({ authorId: 1, text: "/help" });
    await expect.poll(() => portal.control.events(456).map((e) => e.type)).toContain("ONIMBOTV2COMMANDADD");
  });

  it("opens a 1:1 dialog with a bot from the toolbar, and creates a group chat", async () => {
    const portal = await open();
    await suite.page.locator("#toolbar button", { hasText: "New dialog" }).click();
    await suite.page.locator("dialog select[name=userId]").selectOption("456");
    await suite.page.locator("dialog input[name=text]").fill("Hi bot");
    await suite.page.locator("dialog button[value=ok]").click();
    const dialog = await portal.control.waitForMessage("456", { textContains: "Hi bot", viewerId: 1, timeout: 10_000 });
    expect(dialog).toMatchObject({ authorId: 1 });
    await suite.page.locator(".chat-item.active", { hasText: "Support Bot" }).waitFor();

    await suite.page.locator("#toolbar button", { hasText: "New chat" }).click();
    await suite.page.locator("dialog input[name=title]").fill("Launch room");
    await suite.page.locator("dialog input[name=members][value='2']").check();
    await suite.page.locator("dialog button[value=ok]").click();
    await suite.page.locator(".chat-title", { hasText: "Launch room" }).waitFor();
    expect(portal.control.chats().find((c) => c.title === "Launch room")).toMatchObject({ ownerId: 1, members: [1, 2] });
  });

  it("adds and removes a member, moves the portal's clock and resets the portal", async () => {
    const portal = await open();
    const members = () => portal.control.chats().find((c) => c.dialogId === "chat5")!.members;
    await suite.page.locator(".add-member").selectOption("2");
    await suite.page.locator(".member", { hasText: "Boris User" }).waitFor();
    expect(members()).toContain(2);
    await suite.page.locator(".member", { hasText: "Boris User" }).locator(".remove").click();
    await expect.poll(members).not.toContain(2);

    const clock = async () => ((await (await fetch(`${suite.emulator.httpUrl}/_emulator/portals/${portal.id}/clock`)).json()) as { offsetSeconds: number }).offsetSeconds;
    const before = await clock();
    await suite.page.locator("[data-advance='3600']").click();
    await expect.poll(clock).toBe(before + 3600);

    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "gone after the reset" });
    suite.page.once("dialog", (question) => void question.accept());
    await suite.page.locator("#toolbar button", { hasText: "Reset portal" }).click();
    await expect.poll(() => portal.control.messages("chat5").map((m) => m.text)).toEqual(["/help"]);
    await suite.page.locator(".msg", { hasText: "gone after the reset" }).waitFor({ state: "detached" });
  });

  it("pressing a KEYBOARD button raises the bot's command event", async () => {
    const portal = await open();
    const stream = portal.control.stream();
    const id = await botSays(portal, {
      message: "Pick one",
      keyboard: [{ TEXT: "Help me", COMMAND: "help", COMMAND_PARAMS: "topics", BG_COLOR_TOKEN: "primary" }, { TEXT: "Off", COMMAND: "help", DISABLED: "Y" }],
    });
    const button = row(id).locator(".kb-button", { hasText: "Help me" });
    expect(await button.getAttribute("class")).toMatch(/kb-primary/);
    expect(await row(id).locator(".kb-button", { hasText: "Off" }).isDisabled()).toBe(true);
    await button.click();
    let raised: StreamEvent | undefined;
    for await (const item of stream) {
      if (item.type === "event" && item.event.type === "ONIMBOTV2COMMANDADD") {
        raised = item;
        break;
      }
    }
    expect(raised).toMatchObject({ event: { botId: 456, messageId: id } });
    const queued = portal.control.events(456).find((e) => e.type === "ONIMBOTV2COMMANDADD");
    expect(queued?.data).toMatchObject({ command: { params: "topics", context: "keyboard" } });
  });

  it("renders BB-code, and markup in a message stays inert text", async () => {
    const portal = await open();
    const text = `[b]bold[/b] [i]italic[/i] [s]gone[/s] [url=https://example.com/docs]the docs[/url] [USER=1]Anna[/USER] [send=/help topics]ask[/send]\n<img src=x onerror="window.__pwned=1">[quote]quoted[/quote]`;
    const id = await botSays(portal, { message: text });
    const body = row(id).locator(".msg-text");
    await shown(body.locator("strong")).toBe("bold");
    await shown(body.locator("em")).toBe("italic");
    await shown(body.locator("del")).toBe("gone");
    await shown(body.locator("a[href='https://example.com/docs']")).toBe("the docs");
    await shown(body.locator(".bb-mention")).toBe("@Anna");
    await shown(body.locator("blockquote")).toBe("quoted");
    await shown(body).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await body.locator("img").count()).toBe(0);
    expect(await suite.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await body.locator(".bb-send").click();
    const sent = await portal.control.waitForMessage("chat5", { textContains: "/help topics", authorId: 1, timeout: 10_000 });
    expect(sent).toBeDefined();
  });

  it("draws a bot's answer from outside the chat as a system message with the bot's name", async () => {
    const portal = await open();
    await portal.control.removeFromChat("chat5", 456);
    const response = await fetch(`${portal.webhookUrl}imbot.v2.Command.answer`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ botId: 456, botToken: portal.bots[0]!.botToken, commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "From outside" } }),
    });
    expect(response.status).toBe(200);
    const answer = suite.page.locator(".msg-bot-answer").last();
    await shown(answer.locator(".msg-author")).toBe("Support Bot");
    await shown(answer.locator(".tag-outside")).toMatch(/outside the chat/i);
    await shown(answer.locator(".msg-text")).toBe("From outside");
  });

  it("renders an ATTACH: message, grid, link, delimiter, user and file blocks with their colour", async () => {
    const portal = await open();
    const id = await botSays(portal, {
      message: "Order status",
      attach: {
        COLOR_TOKEN: "alert",
        BLOCKS: [
          { MESSAGE: "[b]Order 42[/b] is late" },
          { GRID: [{ NAME: "Status", VALUE: "Delayed", DISPLAY: "LINE" }, { NAME: "ETA", VALUE: "Friday", DISPLAY: "LINE" }] },
          { DELIMITER: { SIZE: 200, COLOR: "#c8c8c8" } },
          { LINK: { NAME: "Tracking", LINK: "https://example.com/track", DESC: "Where it is" } },
          { USER: { NAME: "Courier Bob" } },
          { FILE: [{ NAME: "invoice.pdf", LINK: "https://example.com/invoice.pdf", SIZE: 2048 }] },
        ],
      },
    });
    const attach = row(id).locator(".attach");
    expect(await attach.getAttribute("class")).toMatch(/attach-alert/);
    await shown(attach.locator(".attach-message strong")).toBe("Order 42");
    await attach.locator(".grid-name").first().waitFor();
    expect(await attach.locator(".grid-name").allInnerTexts()).toEqual(["Status", "ETA"]);
    await attach.locator(".grid-value").first().waitFor();
    expect(await attach.locator(".grid-value").allInnerTexts()).toEqual(["Delayed", "Friday"]);
    expect(await attach.locator("hr.attach-delimiter").count()).toBe(1);
    await shown(attach.locator(".attach-link-name")).toBe("Tracking");
    await shown(attach.locator(".attach-user")).toContain("Courier Bob");
    await shown(attach.locator(".attach-file")).toContain("invoice.pdf");
    await shown(attach.locator(".attach-file")).toContain("2.0 KB");
  });

  it("reads a chat of 10,000 messages a page at a time, and pages back on scrolling up", async () => {
    const fixture = defaultFixture();
    fixture.messages ??= [];
    const start = Date.parse("2026-01-02T00:00:00Z");
    for (let i = 0; i < 10_000; i++) {
      fixture.messages.push({ id: 1000 + i, chatId: 5, authorId: i % 2 ? 1 : 456, text: `[b]Message[/b] number ${i}`, date: new Date(start + i * 1000).toISOString() });
    }
    const portal = await open(fixture);
    const last = row(10_999);
    await shown(last.locator(".msg-text")).toBe("Message number 9999");
    expect(await suite.page.locator(".msg").count()).toBeLessThanOrEqual(50);
    await suite.page.locator("#messages").evaluate((list) => (list.scrollTop = 0));
    await row(10_949).waitFor();
    expect(await suite.page.locator(".msg").count()).toBeLessThanOrEqual(100);
    const id = await botSays(portal, { message: "Still live" });
    // Scrolled up, the new message arrives out of view: it is in the list, not scrolled to.
    expect(await row(id).locator(".msg-text").textContent()).toBe("Still live");
  });
});

describe("files in the chat", () => {
  it("shows a person's file and a bot's picture by name and size, linked to bytes the emulator serves", async () => {
    const portal = await open();
    const sent = await portal.control.userSendsFile({ userId: 1, dialogId: "chat5", name: "report.txt", contentBase64: Buffer.from("file body").toString("base64") });
    const name = row(sent.message.id).locator(".shared-file-name");
    await shown(name).toBe("report.txt");
    await shown(row(sent.message.id).locator(".shared-file .file-size")).toBe("9 B");
    const href = await name.getAttribute("href");
    const served = await fetch(href!);
    expect([served.status, await served.text()]).toEqual([200, "file body"]);

    // A 1x1 PNG posted by the bot: the page previews it from the same link.
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    const upload = await fetch(`${portal.webhookUrl}imbot.v2.File.upload`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ botId: 456, botToken: portal.bots[0]!.botToken, dialogId: "chat5", fields: { name: "dot.png", content: png } }),
    });
    const { result } = (await upload.json()) as { result: { messageId: number } };
    await shown(row(result.messageId).locator(".shared-file-name")).toBe("dot.png");
    await expect.poll(() => row(result.messageId).locator("img.shared-file-preview").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBe(1);
  });
});
