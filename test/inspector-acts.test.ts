import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/index.js";
import { botSays, inspectorSuite, shown } from "./support/inspector-page.js";

/**
 * A person's acts in the inspector (issue 11), each through its control API route: what the bot
 * then has waiting in its queue and what the portal stored, read back over the control API.
 */
const suite = inspectorSuite();
const { open } = suite;

const row = (id: number) => suite.page.locator(`.msg[data-id="${id}"]`);
const action = (id: number, label: string) => row(id).locator(".msg-actions button", { hasText: label });
const queued = (portal: PortalHandle, type: string) => portal.control.events(456).filter((e) => e.type === type);
const stored = (portal: PortalHandle, dialogId: string, id: number) => portal.control.messages(dialogId).find((m) => m.id === id);

describe("acting on messages in the inspector", () => {
  it("opens the 1:1 dialog with a bot with a context (JOINCHAT, CONTEXTGET), where the person edits and deletes a message", async () => {
    const portal = await open();
    await suite.page.locator("#toolbar button", { hasText: "Open bot" }).click();
    await suite.page.locator("dialog select[name=botId]").selectOption("456");
    await suite.page.locator("dialog textarea[name=context]").fill('{"from": "deep link"}');
    await suite.page.locator("dialog button[value=ok]").click();
    await suite.page.locator(".chat-item.active", { hasText: "Support Bot" }).waitFor();
    await expect.poll(() => portal.control.events(456).map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2CONTEXTGET"]);
    expect(queued(portal, "ONIMBOTV2CONTEXTGET")[0]?.data).toMatchObject({ dialogId: "1", context: { from: "deep link" } });

    await suite.page.locator("#composer-input").fill("first draft");
    await suite.page.locator("#composer-input").press("Enter");
    const typed = await portal.control.waitForMessage("456", { textContains: "first draft", viewerId: 1, timeout: 10_000 });
    const id = typed!.id;
    await row(id).hover();
    await action(id, "Edit").click();
    const editor = row(id).locator(".edit-input");
    await editor.fill("final text");
    await editor.press("Enter");
    await shown(row(id).locator(".msg-text")).toBe("final text");
    await shown(row(id).locator(".tag-edited")).toMatch(/edited/i);
    expect(stored(portal, "456", id)).toMatchObject({ text: "final text", params: { IS_EDITED: "Y" } });
    await expect.poll(() => queued(portal, "ONIMBOTV2MESSAGEUPDATE").map((e) => e.data)).toEqual([expect.objectContaining({ message: expect.objectContaining({ id, text: "final text" }) })]);

    suite.page.once("dialog", (question) => void question.accept());
    await row(id).hover();
    await action(id, "Delete").click();
    await shown(row(id).locator(".msg-deleted-text")).toBe("This message was deleted");
    expect(stored(portal, "456", id)).toMatchObject({ deleted: true });
    await expect.poll(() => queued(portal, "ONIMBOTV2MESSAGEDELETE").map((e) => e.data)).toEqual([expect.objectContaining({ messageId: id })]);
    // Someone else's message offers neither.
    expect(await action(789, "Edit").count()).toBe(0);
  });

  it("sets a reaction from the palette with the keyboard alone, and takes it back with a click on its chip", async () => {
    const portal = await open();
    const id = await botSays(portal, { message: "React to me" });
    await row(id).locator(".link-call").waitFor();
    await row(id).focus();
    await suite.page.keyboard.press("Tab"); // Reply
    await suite.page.keyboard.press("Tab"); // React
    await expect.poll(() => suite.page.locator(":focus").textContent()).toBe("React");
    await suite.page.keyboard.press("Enter");
    await expect.poll(() => suite.page.locator(":focus").getAttribute("data-code")).toBe("like");
    await suite.page.keyboard.press("Enter");
    const chip = row(id).locator(".reaction[data-code=like]");
    await shown(chip).toMatch(/^👍\s*1$/);
    expect(await chip.getAttribute("aria-pressed")).toBe("true");
    expect(stored(portal, "chat5", id)?.reactions).toEqual({ like: [1] });
    await expect.poll(() => queued(portal, "ONIMBOTV2REACTIONCHANGE").map((e) => e.data)).toEqual([expect.objectContaining({ reaction: "like", action: "add" })]);

    await chip.click();
    await chip.waitFor({ state: "detached" });
    expect(stored(portal, "chat5", id)?.reactions).toBeUndefined();
    await expect.poll(() => queued(portal, "ONIMBOTV2REACTIONCHANGE").map((e) => (e.data as { action: string }).action)).toEqual(["add", "delete"]);
  });

  it("replies to a bot's message, and the bot's markup stays text in the reply bar and the quote", async () => {
    const portal = await open();
    const hostile = `<img src=x onerror="window.__pwned=1">[b]card[/b]`;
    const id = await botSays(portal, { message: hostile });
    await row(id).hover();
    await action(id, "Reply").click();
    await shown(suite.page.locator("#reply-bar")).toContain('<img src=x onerror="window.__pwned=1">card');
    await suite.page.locator("#composer-input").fill("Thanks!");
    await suite.page.locator("#composer-input").press("Enter");
    const reply = await portal.control.waitForMessage("chat5", { textContains: "Thanks!", timeout: 10_000 });
    expect(stored(portal, "chat5", reply!.id)).toMatchObject({ authorId: 1, replyId: id });
    const quote = row(reply!.id).locator(".reply-quote");
    await shown(quote).toContain("Support Bot");
    await shown(quote).toContain('<img src=x onerror="window.__pwned=1">card');
    expect(await suite.page.locator("#reply-bar").isHidden()).toBe(true);
    expect(await suite.page.locator("#messages img, #reply-bar img").count()).toBe(0);
    expect(await suite.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("reads the chat: the bot's messages become viewed, and show it", async () => {
    const portal = await open();
    const id = await botSays(portal, { message: "Did you read this?" });
    await row(id).waitFor();
    expect(await row(id).locator(".msg-viewed").count()).toBe(0);
    await suite.page.locator(".chat-acts button", { hasText: "Mark read" }).click();
    await shown(suite.page.locator("#notice")).toMatch(/newly viewed/);
    expect(stored(portal, "chat5", id)).toMatchObject({ viewedByOthers: true });
    await row(id).locator(".msg-viewed").waitFor();
  });

  it("opens the chat with a JSON context (CONTEXTGET), and shows a refusal as code and description", async () => {
    const portal = await open();
    await suite.page.locator(".chat-acts button", { hasText: "Context" }).click();
    const input = suite.page.locator("dialog textarea[name=context]");
    await input.fill("not json");
    expect(await suite.page.locator("dialog textarea[name=context]:invalid").count()).toBe(1);
    await input.fill('{"pairing": "abc-123"}');
    await suite.page.locator("dialog button[value=ok]").click();
    await expect.poll(() => queued(portal, "ONIMBOTV2CONTEXTGET").map((e) => e.data)).toEqual([expect.objectContaining({ dialogId: "chat5", context: { pairing: "abc-123" } })]);

    await portal.control.removeFromChat("chat5", 456);
    await suite.page.locator(".chat-acts button", { hasText: "Context" }).click();
    await suite.page.locator("dialog button[value=ok]").click();
    await shown(suite.page.locator("#notice.bad")).toMatch(/^BOT_CONTEXT_ERROR: \S/);
    expect(await suite.page.locator("#notice *").count()).toBe(0);
  });

  it("sends a file with the typed text: the bot gets MESSAGEADD with FILE_ID, the page shows the file, a hostile name stays text", async () => {
    const portal = await open();
    const name = `<img src=x onerror="window.__pwned=1">.txt`;
    await suite.page.locator("#composer-input").fill("[USER=456]Support Bot[/USER] the report");
    const chooser = suite.page.waitForEvent("filechooser");
    await suite.page.locator("#attach-file").click();
    await (await chooser).setFiles({ name, mimeType: "text/plain", buffer: Buffer.from("hello file") });
    const sent = await portal.control.waitForMessage("chat5", { textContains: "the report", authorId: 1, timeout: 10_000 });
    const fileId = sent!.params.FILE_ID![0]!;
    expect(stored(portal, "chat5", sent!.id)?.files).toEqual([expect.objectContaining({ id: fileId, name, size: 10 })]);
    await expect.poll(() => queued(portal, "ONIMBOTV2MESSAGEADD").map((e) => e.data)).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ id: sent!.id, params: expect.objectContaining({ FILE_ID: [fileId] }) }) }),
    ]);
    const file = row(sent!.id).locator(".shared-file");
    await shown(file).toContain(name);
    await shown(file).toContain("10 B");
    expect(await suite.page.locator("#composer-input").inputValue()).toBe("");
    expect(await row(sent!.id).locator("img").count()).toBe(0);
    expect(await suite.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    const empty = suite.page.waitForEvent("filechooser");
    await suite.page.locator("#attach-file").click();
    await (await empty).setFiles({ name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) });
    await shown(suite.page.locator("#notice.bad")).toMatch(/^FILE_EMPTY: \S/);
  });
});
