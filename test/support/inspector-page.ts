import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startEmulator, type FixtureInput, type PortalHandle, type RunningEmulator } from "../../src/index.js";
import { defaultFixture } from "./fixtures.js";

/**
 * The inspector page in a real browser: Debian's chromium (or CHROMIUM_PATH) driven by
 * playwright-core. One browser per test file; each test opens its own page on a fresh portal.
 */
export interface InspectorBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchInspectorBrowser(): Promise<InspectorBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "inspector-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1400, height: 860 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The text an element shows once the page has drawn it. The page renders from a live stream, so a
 * single read can land before the render (empty text under load); polling waits for the text.
 */
export function shown(locator: Locator) {
  return expect.poll(() => locator.innerText(), { timeout: 10_000 });
}

/** A fresh portal from `fixture` and a new page on it, live and showing chat5; no script errors. */
export async function openInspector(emulator: RunningEmulator, browser: InspectorBrowser, fixture: FixtureInput = defaultFixture()): Promise<{ portal: PortalHandle; page: Page }> {
  const portal = await emulator.createPortal({ fixture });
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${emulator.httpUrl}/#portal=${portal.id}`);
  await page.locator("#live.live-live").waitFor();
  await page.locator(".msg").first().waitFor();
  expect(errors).toEqual([]);
  return { portal, page };
}

/** A bot posts into a chat over REST, as a bot under test would: the stored message's id. */
export async function botSays(portal: PortalHandle, fields: Record<string, unknown>, dialogId = "chat5"): Promise<number> {
  const response = await fetch(`${portal.webhookUrl}imbot.v2.Chat.Message.send`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ botId: 456, botToken: portal.bots[0]!.botToken, dialogId, fields }),
  });
  const body = (await response.json()) as { result: { id: number } };
  expect(response.status).toBe(200);
  return body.result.id;
}

/**
 * The hooks of a browser test file: one emulator and one browser for the file, a page per test
 * (closed after it). `open()` gives a fresh portal and the page on it.
 */
export function inspectorSuite() {
  let emulator: RunningEmulator;
  let browser: InspectorBrowser;
  let page: Page | undefined;
  beforeAll(async () => {
    emulator = await startEmulator();
    browser = await launchInspectorBrowser();
  }, 60_000);
  afterEach(async () => {
    await page?.close();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  return {
    get emulator() {
      return emulator;
    },
    get browser() {
      return browser;
    },
    get page(): Page {
      if (!page) throw new Error("open() first");
      return page;
    },
    async open(fixture?: FixtureInput): Promise<PortalHandle> {
      const opened = await openInspector(emulator, browser, fixture);
      page = opened.page;
      return opened.portal;
    },
  };
}
