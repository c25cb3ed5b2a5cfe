import express from "express";

/** The yardstick: a bare express 5 route that parses the same JSON body and answers like a portal. */
const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.post("/rest/1/emulator/imbot.v2.Command.answer", express.json(), (req, res) => {
  const body = req.body as { botId?: unknown };
  res.type("application/json; charset=utf-8").send(JSON.stringify({ result: { result: body.botId !== undefined }, time: {} }));
});
const port = Number(process.argv[2] ?? 0);
app.listen(port, "127.0.0.1", () => console.log(`listening ${port}`));
