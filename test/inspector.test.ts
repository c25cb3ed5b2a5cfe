import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator, type StreamEvent } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";

/**
 * The inspector page in a real browser (Debian's chromium, driven by playwright-core) against a
 * listening emulator: one browser for the file, a fresh portal and page per test.
 */
let emulator: RunningEmulator;
let browser: BrowserContext;
let profile: string;
let page: Page;

beforeAll(async () => {
  emulator = await startEmulator();
  profile = await mkdtemp(join(tmpdir(), "inspector-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1400, height: 860 },
  });
}, 60_000);
afterEach(async () => {
  await page?.close();
});
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await rm(profile, { recursive: true, force: true });
});

/**
 * The text an element shows once the page has drawn it. The page renders from a live stream, so a
 * single read can land before the render (empty text under load); polling waits for the text.
 */
function shown(locator: Locator) {
  return expect.poll(() => locator.innerText(), { timeout: 10_000 });
}

type Portal = PortalInfo & Awaited<ReturnType<RunningEmulator["createPortal"]>>;

async function open(fixture = defaultFixture()): Promise<Portal> {
  const portal = (await emulator.createPortal({ fixture })) as Portal;
  page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${emulator.httpUrl}/#portal=${portal.id}`);
  await page.locator("#live.live-live").waitFor();
  await page.locator(".msg").first().waitFor();
  expect(errors).toEqual([]);
  return portal;
}

/** A bot posts into chat5 over REST, as a bot under test would. */
async function botSays(portal: Portal, fields: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${portal.webhookUrl}imbot.v2.Chat.Message.send`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ botId: 456, botToken: portal.bots[0]!.botToken, dialogId: "chat5", fields }),
  });
  const body = (await response.json()) as { result: { id: number } };
  expect(response.status).toBe(200);
  return body.result.id;
}

const row = (id: number) => page.locator(`.msg[data-id="${id}"]`);

describe("the inspector page", () => {
  it("is served at / with a strict Content-Security-Policy", async () => {
    const response = await fetch(`${emulator.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const missing = await fetch(`${emulator.httpUrl}/inspector/no-such-file.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("opens on chat5 and shows its history with author names", async () => {
    await open();
    await shown(page.locator(".chat-title")).toContain("Support");
    const first = row(789);
    await shown(first.locator(".msg-author")).toBe("Anna Admin");
    await shown(first.locator(".msg-text")).toBe("/help");
    await shown(page.locator(".chat-item.active")).toContain("Support");
  });

  it("shows a message posted over REST without a reload", async () => {
    const portal = await open();
    const id = await botSays(portal, { message: "Posted over REST" });
    await shown(row(id).locator(".msg-text")).toBe("Posted over REST");
    await shown(row(id).locator(".msg-author")).toBe("Support Bot");
    await shown(row(id).locator(".link-call")).toContain("imbot.v2.Chat.Message.send");
  });

  it("stores what is typed in the composer as the chosen user's message", async () => {
    const portal = await open();
    await page.locator("#acting").selectOption("1");
    await page.locator("#composer-input").fill("Hello from the browser");
    await page.locator("#composer-input").press("Enter");
    const stored = await portal.control.waitForMessage("chat5", { textContains: "Hello from the browser", timeout: 10_000 });
    expect(stored).toMatchObject({ authorId: 1, text: "Hello from the browser" });
    await shown(row(stored!.id).locator(".msg-author")).toBe("Anna Admin");
  });

  it("suggests slash commands with their titles, and Enter sends a command typed in full", async () => {
    const portal = await open();
    const input = page.locator("#composer-input");
    await input.fill("/he");
    await shown(page.locator(".suggestions li").first()).toContain("/help");
    await shown(page.locator(".suggestions li").first()).toContain("Show help");
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
    await page.locator("#toolbar button", { hasText: "New dialog" }).click();
    await page.locator("dialog select[name=userId]").selectOption("456");
    await page.locator("dialog input[name=text]").fill("Hi bot");
    await page.locator("dialog button[value=ok]").click();
    const dialog = await portal.control.waitForMessage("456", { textContains: "Hi bot", viewerId: 1, timeout: 10_000 });
    expect(dialog).toMatchObject({ authorId: 1 });
    await page.locator(".chat-item.active", { hasText: "Support Bot" }).waitFor();

    await page.locator("#toolbar button", { hasText: "New chat" }).click();
    await page.locator("dialog input[name=title]").fill("Launch room");
    await page.locator("dialog input[name=members][value='2']").check();
    await page.locator("dialog button[value=ok]").click();
    await page.locator(".chat-title", { hasText: "Launch room" }).waitFor();
    expect(portal.control.chats().find((c) => c.title === "Launch room")).toMatchObject({ ownerId: 1, members: [1, 2] });
  });

  it("adds and removes a member, moves the portal's clock and resets the portal", async () => {
    const portal = await open();
    const members = () => portal.control.chats().find((c) => c.dialogId === "chat5")!.members;
    await page.locator(".add-member").selectOption("2");
    await page.locator(".member", { hasText: "Boris User" }).waitFor();
    expect(members()).toContain(2);
    await page.locator(".member", { hasText: "Boris User" }).locator(".remove").click();
    await expect.poll(members).not.toContain(2);

    const clock = async () => ((await (await fetch(`${emulator.httpUrl}/_emulator/portals/${portal.id}/clock`)).json()) as { offsetSeconds: number }).offsetSeconds;
    const before = await clock();
    await page.locator("[data-advance='3600']").click();
    await expect.poll(clock).toBe(before + 3600);

    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "gone after the reset" });
    page.once("dialog", (question) => void question.accept());
    await page.locator("#toolbar button", { hasText: "Reset portal" }).click();
    await expect.poll(() => portal.control.messages("chat5").map((m) => m.text)).toEqual(["/help"]);
    await page.locator(".msg", { hasText: "gone after the reset" }).waitFor({ state: "detached" });
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
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
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
    const answer = page.locator(".msg-bot-answer").last();
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
    expect(await page.locator(".msg").count()).toBeLessThanOrEqual(50);
    await page.locator("#messages").evaluate((list) => (list.scrollTop = 0));
    await row(10_949).waitFor();
    expect(await page.locator(".msg").count()).toBeLessThanOrEqual(100);
    const id = await botSays(portal, { message: "Still live" });
    // Scrolled up, the new message arrives out of view: it is in the list, not scrolled to.
    expect(await row(id).locator(".msg-text").textContent()).toBe("Still live");
  });
});
