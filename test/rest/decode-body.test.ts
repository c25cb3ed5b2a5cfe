import { describe, expect, it } from "vitest";
import { decodeBody } from "../../src/rest/decode-body.js";

/** A body as http/read-body.ts reads a large one: alone on a resizable ArrayBuffer. */
function resizableBody(text: string): Buffer {
  const bytes = Buffer.from(text);
  const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
  const body = Buffer.from(new Resizable(bytes.length, { maxByteLength: bytes.length }));
  bytes.copy(body);
  return body;
}

describe("decodeBody takes the body it decodes", () => {
  const cases: [string, string, string][] = [
    ["JSON", "application/json", JSON.stringify({ fields: { content: "QUJD" } })],
    ["a form", "application/x-www-form-urlencoded", "fields%5Bcontent%5D=QUJD"],
    ["multipart", "multipart/form-data; boundary=X", '--X\r\nContent-Disposition: form-data; name="fields[content]"\r\n\r\nQUJD\r\n--X--\r\n'],
  ];
  it.each(cases)("%s: the params are read, the holder is emptied and the body's memory given back", async (_, type, text) => {
    const body = resizableBody(text);
    const holder = { body };
    expect(await decodeBody(holder, type)).toEqual({ fields: { content: "QUJD" } });
    expect(holder.body).toBeUndefined();
    expect(body.buffer.byteLength).toBe(0);
  });

  it("a body it cannot read is given back too, and the error is the usual one", async () => {
    const body = resizableBody("{not json");
    await expect(decodeBody({ body }, "application/json")).rejects.toMatchObject({ code: "INVALID_REQUEST_BODY" });
    expect(body.buffer.byteLength).toBe(0);
  });

  it("a plain buffer is decoded as before and left alone", async () => {
    const body = Buffer.from("a=1");
    expect(await decodeBody({ body }, undefined)).toEqual({ a: "1" });
    expect(body.toString()).toBe("a=1");
  });
});
