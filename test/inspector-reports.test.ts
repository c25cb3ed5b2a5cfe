import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/index.js";
import { inspectorSuite, shown } from "./support/inspector-page.js";

/**
 * Faults and the conformance report in the inspector (issue 12): the views show what the control
 * API answers, follow the stream while open, and the journal marks the calls they concern.
 */
const suite = inspectorSuite();
const { open } = suite;

/** Chat.Message.send as a bot would call it, params as given: the HTTP status. */
async function send(portal: PortalHandle, params: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${portal.webhookUrl}imbot.v2.Chat.Message.send`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ botId: 456, botToken: portal.bots[0]!.botToken, dialogId: "chat5", fields: { message: "hi" }, ...params }),
  });
  await response.body?.cancel();
  return response.status;
}

const tab = (name: string) => suite.page.locator(`#tabs button[data-tab=${name}]`);

describe("the Faults view", () => {
  it("lists the rules as the API does, counts firings live, marks the journal, and clears them", async () => {
    const portal = await open();
    const rest = portal.control.addFault({ method: "imbot.v2.Chat.Message.send", error: "QUERY_LIMIT_EXCEEDED", status: 503, times: 2 });
    const delivery = portal.control.addFault({ target: "delivery", botId: 456, event: "ONIMBOTV2MESSAGEADD", action: "duplicate", times: 1 });
    await tab("faults").click();
    const restRow = suite.page.locator(`table.faults tr[data-id="${rest.id}"]`);
    await shown(restRow.locator(".fault-target")).toBe("REST imbot.v2.Chat.Message.send");
    await shown(restRow.locator(".fault-effect")).toBe("answers QUERY_LIMIT_EXCEEDED (HTTP 503)");
    await shown(restRow.locator(".fault-times")).toBe("2");
    await shown(restRow.locator(".fault-fired")).toBe("0");
    const deliveryRow = suite.page.locator(`table.faults tr[data-id="${delivery.id}"]`);
    await shown(deliveryRow.locator(".fault-target")).toBe("DELIVERY ONIMBOTV2MESSAGEADD to Support Bot");
    await shown(deliveryRow.locator(".fault-effect")).toBe("delivers it twice");
    await shown(deliveryRow.locator(".fault-times")).toBe("1");

    expect(await send(portal, {})).toBe(503);
    await shown(restRow.locator(".fault-fired")).toBe("1");
    expect(portal.control.faults().find((r) => r.id === rest.id)?.fired).toBe(1);

    // A duplicated event: the rule's count moves while the view is open, and both copies wait, marked.
    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "[USER=456]Support Bot[/USER] twice?" });
    await shown(deliveryRow.locator(".fault-fired")).toBe("1");
    await tab("events").click();
    const copies = suite.page.locator(".bot-events .call", { hasText: "ONIMBOTV2MESSAGEADD" });
    await expect.poll(() => copies.count()).toBe(2);
    expect(await copies.locator(".tag-fault").allInnerTexts()).toEqual([`FAULT #${delivery.id}`, `FAULT #${delivery.id}`]);

    await tab("journal").click();
    const call = suite.page.locator(".call", { hasText: "imbot.v2.Chat.Message.send" }).first();
    await shown(call.locator(".tag-fault")).toBe(`fault #${rest.id}`.toUpperCase());

    await tab("faults").click();
    await suite.page.locator("button.clear-faults").click();
    await shown(suite.page.locator("#pane .empty")).toMatch(/No fault rules/);
    expect(portal.control.faults()).toEqual([]);
  });
});

describe("adding a fault rule from the Faults view", () => {
  it("posts the rule typed as JSON, and shows a refused one as code and description", async () => {
    const portal = await open();
    await tab("faults").click();
    await suite.page.locator("button.add-fault").click();
    await suite.page.locator("dialog textarea[name=rule]").fill('{"method": "imbot.v2.Command.answer", "delayMs": 250, "times": 3}');
    await suite.page.locator("dialog button[value=ok]").click();
    await expect.poll(() => portal.control.faults()).toEqual([expect.objectContaining({ target: "rest", method: "imbot.v2.Command.answer", delayMs: 250, times: 3, fired: 0 })]);
    await shown(suite.page.locator("table.faults .fault-effect")).toBe("delays 250 ms, then answers normally");

    await suite.page.locator("button.add-fault").click();
    await suite.page.locator("dialog textarea[name=rule]").fill('{"method": "*", "times": 0}');
    await suite.page.locator("dialog button[value=ok]").click();
    await shown(suite.page.locator("#notice.bad")).toMatch(/^CONTROL_ARGUMENT: \S/);
    expect(portal.control.faults()).toHaveLength(1);
  });
});

describe("the Conformance view", () => {
  it("shows the report's rules, counts and first examples, and each finding on its journal entry, as text", async () => {
    const portal = await open();
    const hostile = `<img src=x onerror="window.__pwned=1">`;
    expect(await send(portal, { botId: "456", [hostile]: 1 })).toBe(200);
    await tab("conformance").click();
    const report = portal.control.conformance();
    const rules = report.rules.map((r) => r.rule);
    expect(rules).toEqual(expect.arrayContaining(["integer-as-string", "unknown-param"]));
    for (const rule of report.rules) {
      const section = suite.page.locator(`.conformance-rule[data-rule="${rule.rule}"]`);
      await shown(section.locator(".badge")).toBe(String(rule.count));
      await shown(section.locator(".findings li").first()).toContain(`#${rule.examples[0]!.callId} imbot.v2.Chat.Message.send`);
    }
    await shown(suite.page.locator('.conformance-rule[data-rule="unknown-param"] .findings')).toContain(hostile);

    // Open, the view follows the stream: another finding raises the count.
    const before = report.rules.find((r) => r.rule === "integer-as-string")!.count;
    expect(await send(portal, { botId: "456" })).toBe(200);
    await shown(suite.page.locator('.conformance-rule[data-rule="integer-as-string"] .badge')).toBe(String(before + 1));

    await suite.page.locator('.conformance-rule[data-rule="unknown-param"] .findings a').first().click();
    const call = suite.page.locator(".call[open]");
    await shown(call.locator(".tag-finding")).toMatch(/2 findings/i);
    await shown(call.locator(".findings")).toContain(hostile);
    expect(await suite.page.locator("#pane img").count()).toBe(0);
    expect(await suite.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
