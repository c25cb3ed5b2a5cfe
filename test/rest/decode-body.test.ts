import { describe, expect, it } from "vitest";
import { parsePhpQuery } from "../../src/domain/php-query.js";
import { decodeBody } from "../../src/rest/decode-body.js";
import { cutFormValues, cutJsonValues, LONG_VALUE_BYTES } from "../../src/rest/long-values.js";

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

describe("decodeBody cuts a large body's long values out before parsing the rest, reading exactly what a whole parse reads", () => {
  const long = (seed: string) => seed.repeat(Math.ceil((LONG_VALUE_BYTES + 10) / seed.length));
  const base64 = Buffer.from(Array.from({ length: LONG_VALUE_BYTES }, (_, i) => (i * 7919) & 0xff)).toString("base64");

  const jsonBodies: [string, string, number][] = [
    ["a nested base64", JSON.stringify({ botId: 456, fields: { name: "a.bin", content: base64, message: "hi" } }), 1],
    ["values in a list, two long ones", JSON.stringify({ list: [long("ab"), 1, { deep: long("é") }], after: true }), 2],
    ["a long key, kept as it is", JSON.stringify({ [long("k")]: "v", x: long("y") }), 1],
    ["a long value with escapes, kept as it is", JSON.stringify({ quoted: long('say "hi"\\n'), plain: long("z") }), 1],
    ["a __proto__ key", '{"__proto__": "' + long("p") + '", "a": 1}', 1],
    ["spaces before the colon of a long key", '{"' + long("q") + '"  \n : 2}', 0],
  ];
  it.each(jsonBodies)("JSON: %s", async (_, text, cut) => {
    expect(cutJsonValues(Buffer.from(text))?.values.size ?? 0).toBe(cut);
    expect(await decodeBody({ body: resizableBody(text) }, "application/json")).toEqual(JSON.parse(text));
  });

  it("JSON: a long value JSON.parse refuses (a raw control character) is still refused", async () => {
    const text = `{"a": "${long("x")}\u0001"}`;
    expect(() => JSON.parse(text)).toThrow();
    await expect(decodeBody({ body: resizableBody(text) }, "application/json")).rejects.toMatchObject({ code: "INVALID_REQUEST_BODY" });
  });

  it("JSON: a long value that is not UTF-8 is refused as the whole body was", async () => {
    const body = Buffer.concat([Buffer.from('{"a": "'), Buffer.alloc(LONG_VALUE_BYTES, 0xff), Buffer.from('"}')]);
    await expect(decodeBody({ body }, "application/json")).rejects.toMatchObject({ code: "INVALID_REQUEST_BODY", description: "The request body is not valid UTF-8" });
  });

  const formBodies: [string, string, number][] = [
    ["base64 escaped (%2B, %2F, %3D)", `botId=456&fields%5Bname%5D=a.bin&fields%5Bcontent%5D=${encodeURIComponent(base64 + "==")}&x=1`, 1],
    ["+ as a space, and UTF-8 escapes", `a=${long("x+%C3%A9")}&b=2`, 1],
    ["a malformed escape: every escape one character", `a=${long("%C3%A9")}%zz&b=${long("%4")}`, 2],
    ["escapes that are not UTF-8", `a=${long("%FF%41")}`, 1],
    ["raw non-ASCII text, kept as it is", `a=${long("é")}`, 0],
    ["a later duplicate wins", `a=${long("1")}&a=${long("2")}&b[]=${long("3")}&b[]=x`, 3],
    ["a key without a value, and a long key", `flag&${long("k")}=v&z=${long("y")}`, 1],
  ];
  it.each(formBodies)("form: %s", async (_, text, cut) => {
    expect(cutFormValues(Buffer.from(text))?.values.size ?? 0).toBe(cut);
    expect(await decodeBody({ body: resizableBody(text) }, "application/x-www-form-urlencoded")).toEqual(parsePhpQuery(text));
  });
});
