import { describe, expect, it } from "vitest";
import { imageSize } from "../../src/domain/image-size.js";

/** The File entity's `image` comes from the picture's own header (CB2/entities.md#file). */

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
const u16be = (n: number) => [n >> 8, n & 0xff];
const u16le = (n: number) => [n & 0xff, n >> 8];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, n >> 16];

describe("imageSize (the File entity's image, bot avatars)", () => {
  it("reads PNG's IHDR", () => {
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], "IHDR", [0, 0, 2, 0, 0, 0, 1, 0x2c, 8, 2, 0, 0, 0]);
    expect(imageSize(png)).toEqual({ width: 512, height: 300 });
  });

  it("reads GIF87a and GIF89a logical screens", () => {
    expect(imageSize(bytes("GIF89a", u16le(640), u16le(480), [0, 0, 0]))).toEqual({ width: 640, height: 480 });
    expect(imageSize(bytes("GIF87a", u16le(1), u16le(1), [0]))).toEqual({ width: 1, height: 1 });
  });

  it("walks JPEG segments to the start-of-frame, past APP and DHT segments", () => {
    const app0 = [0xff, 0xe0, ...u16be(16), ...Buffer.from("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0];
    const dht = [0xff, 0xc4, ...u16be(4), 0, 0];
    const sof2 = [0xff, 0xc2, ...u16be(17), 8, ...u16be(1080), ...u16be(1920), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    expect(imageSize(bytes([0xff, 0xd8], app0, dht, sof2))).toEqual({ width: 1920, height: 1080 });
  });

  it("reads the three WEBP flavours", () => {
    const riff = (chunk: string, body: number[]) => bytes("RIFF", [0, 0, 0, 0], "WEBP", chunk, [0, 0, 0, 0], body);
    expect(imageSize(riff("VP8 ", [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16le(400), ...u16le(250)]))).toEqual({ width: 400, height: 250 });
    const bits = (99 & 0x3fff) | ((49 & 0x3fff) << 14);
    expect(imageSize(riff("VP8L", [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff, 0, 0, 0, 0, 0]))).toEqual({ width: 100, height: 50 });
    expect(imageSize(riff("VP8X", [0, 0, 0, 0, ...u24le(1023), ...u24le(767)]))).toEqual({ width: 1024, height: 768 });
  });

  it("reads BMP's info header (a negative height is a top-down picture)", () => {
    const header = Buffer.alloc(26);
    header.write("BM", 0, "latin1");
    header.writeUInt32LE(40, 14);
    header.writeInt32LE(64, 18);
    header.writeInt32LE(-32, 22);
    expect(imageSize(header)).toEqual({ width: 64, height: 32 });
  });

  it("is null for anything else, a header cut short, or a zero size", () => {
    expect(imageSize(Buffer.from("%PDF-1.4"))).toBeNull();
    expect(imageSize(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(imageSize(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toBeNull();
    expect(imageSize(bytes("GIF89a", u16le(0), u16le(5), [0, 0]))).toBeNull();
    expect(imageSize(Buffer.alloc(0))).toBeNull();
  });
});
