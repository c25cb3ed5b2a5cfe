import { h } from "./dom.js";

// Reactions as a person sets them: a small palette of the portal's codes (spec v2-complete.md §2,
// Chat.Message.Reaction.add) and the chips under a message. A code outside the palette (a bot may
// set any of the 48) is shown by its name.

export const PALETTE = [
  ["like", "👍"],
  ["dislike", "👎"],
  ["redHeart", "❤️"],
  ["faceWithTearsOfJoy", "😂"],
  ["wonder", "😮"],
  ["cry", "😢"],
  ["fire", "🔥"],
  ["clappingHands", "👏"],
  ["thinkingFace", "🤔"],
  ["eyes", "👀"],
  ["whiteHeavyCheckMark", "✅"],
  ["partyingFace", "🥳"],
];
const EMOJI = new Map(PALETTE);

/** Sets the acting person's reaction, or takes it back when it is already set. */
function toggle(message, code, ctx) {
  const mine = message.reactions?.[code]?.includes(ctx.actingUserId) ?? false;
  return ctx.act(ctx.api.react(ctx.actingUserId, message.id, code, mine ? "delete" : "add"));
}

/** The reactions set on a message, each a button that toggles the acting person's own. */
export function renderReactions(message, ctx) {
  const entries = Object.entries(message.reactions ?? {});
  if (entries.length === 0) return null;
  return h(
    "div",
    { class: "reactions" },
    entries.map(([code, users]) => {
      const mine = users.includes(ctx.actingUserId);
      return h(
        "button",
        {
          type: "button",
          class: `reaction${mine ? " reaction-mine" : ""}`,
          dataset: { code },
          "aria-pressed": String(mine),
          title: `${code}: ${users.map((id) => ctx.userName(id)).join(", ")}`,
          onclick: () => toggle(message, code, ctx),
        },
        EMOJI.get(code) ?? code,
        h("span", { class: "reaction-count" }, String(users.length)),
      );
    }),
  );
}

/** The palette under a message while it is open (Escape closes it, see app.js). */
export function renderPalette(message, ctx) {
  return h(
    "div",
    { class: "palette", role: "toolbar", "aria-label": "React" },
    PALETTE.map(([code, emoji]) =>
      h("button", { type: "button", dataset: { code }, title: code, "aria-label": `React with ${code}`, onclick: () => (ctx.closePalette(), toggle(message, code, ctx)) }, emoji),
    ),
  );
}
