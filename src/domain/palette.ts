/** The colour palette of chats and bots (spec bots-commands-chats.md §10): codes in, HEX out. */
export const PALETTE: Readonly<Record<string, string>> = {
  red: "#df532d",
  green: "#64a513",
  mint: "#4ba984",
  lightBlue: "#4ba5c3",
  darkBlue: "#3e99ce",
  purple: "#8474c8",
  aqua: "#1eb4aa",
  pink: "#f76187",
  lime: "#58cc47",
  brown: "#ab7761",
  azure: "#29619b",
  khaki: "#728f7a",
  sand: "#ba9c7b",
  marengo: "#556574",
  gray: "#909090",
  graphite: "#5e5f5e",
};

const HEX = Object.values(PALETTE);

/** `lightBlue`, `LIGHT_BLUE` and `lightblue` name the same colour (v1 clients send upper snake case). */
const key = (code: string) => code.replace(/[_\s-]/g, "").toLowerCase();
const BY_KEY = new Map(Object.entries(PALETTE).map(([code, hex]) => [key(code), hex]));

/** The HEX of a palette code, or undefined for anything else. */
export function paletteHex(code: unknown): string | undefined {
  return typeof code === "string" && code.trim() !== "" ? BY_KEY.get(key(code.trim())) : undefined;
}

/** A stable colour for something created without one, picked from the palette by its id. */
export function paletteByIndex(index: number): string {
  return HEX[((index % HEX.length) + HEX.length) % HEX.length] as string;
}

/** The code of a palette HEX as v1 payloads name it (`#ab7761` -> `BROWN`, `#4ba5c3` -> `LIGHT_BLUE`). */
export function paletteCodeUpper(hex: string): string {
  const code = Object.entries(PALETTE).find(([, value]) => value.toLowerCase() === hex.toLowerCase())?.[0];
  return code ? code.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase() : "";
}
