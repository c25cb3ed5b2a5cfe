import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { launchInspectorBrowser, type InspectorBrowser } from "./support/inspector-page.js";

/** The inspector against an emulator started with --admin-key: it asks for the key once and uses it. */
const KEY = "inspector-admin-key";
let emulator: RunningEmulator;
let browser: InspectorBrowser;

beforeAll(async () => {
  emulator = await startEmulator({ adminKey: KEY });
  browser = await launchInspectorBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

it("asks for the admin key, then reads the portal and follows its stream with it", async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  const asked: string[] = [];
  page.on("dialog", (question) => {
    asked.push(question.message());
    void question.accept(KEY);
  });
  await page.goto(`${emulator.httpUrl}/`);
  await page.locator("#live.live-live").waitFor();
  expect(await page.locator('.msg[data-id="789"] .msg-text').innerText()).toBe("/help");
  expect(asked).toEqual([expect.stringContaining("--admin-key")]);

  const said = await fetch(`${emulator.httpUrl}/_emulator/portals/default/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Emulator-Key": KEY },
    body: JSON.stringify({ authorId: 1, dialogId: "chat5", text: "Live behind the key" }),
  });
  expect(said.status).toBe(201);
  await page.locator(".msg", { hasText: "Live behind the key" }).waitFor();
  await page.close();
});

it("shows a shared picture and downloads a file behind the key, which plain links could not send", async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("dialog", (question) => void question.accept(KEY));
  await page.goto(`${emulator.httpUrl}/`);
  await page.locator("#live.live-live").waitFor();

  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  const sent = await fetch(`${emulator.httpUrl}/_emulator/portals/default/files`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Emulator-Key": KEY },
    body: JSON.stringify({ userId: 1, dialogId: "chat5", name: "dot.png", contentBase64: png, text: "a picture" }),
  });
  expect(sent.status).toBe(201);
  const file = page.locator(".shared-file", { hasText: "dot.png" });
  await expect
    .poll(() => file.locator("img.shared-file-preview").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 })
    .toBe(1);

  // The link fetches the bytes with the key (a plain link would get 401), then hands them to the browser as a blob.
  const fileUrl = /\/_emulator\/portals\/default\/files\/\d+$/;
  const [served] = await Promise.all([page.waitForResponse((r) => fileUrl.test(r.url()), { timeout: 30_000 }), file.locator(".shared-file-name").click()]);
  expect(served.status()).toBe(200);
  expect(await served.request().headerValue("x-emulator-key")).toBe(KEY);
  expect(served.headers()["content-type"]).toBe("image/png");
  expect(Number(served.headers()["content-length"])).toBe(Buffer.from(png, "base64").length);
  await page.close();
});
