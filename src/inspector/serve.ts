import express from "express";

/**
 * What the page may do: run its own scripts and styles, talk to this emulator, show images a bot
 * links to (and files it fetched itself with the admin key, as blob: URLs). No inline script, no eval, no framing, no plugins: markup that slipped into the page
 * could not run even if a bug let it in.
 */
export const INSPECTOR_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The inspector page at `/` and its files under `/inspector/`: plain files, served as they are
 * (no build step), each with the Content-Security-Policy above.
 */
export function createInspectorRouter(assetsDir: string): express.Router {
  const router = express.Router();
  const headers = (res: express.Response) => {
    res.set("Content-Security-Policy", INSPECTOR_CSP);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Cache-Control", "no-cache");
  };
  router.get("/", (_req, res) => {
    headers(res);
    res.sendFile("index.html", { root: assetsDir, headers: {} });
  });
  router.use(
    "/inspector",
    express.static(assetsDir, { index: false, etag: false, lastModified: true, dotfiles: "ignore", setHeaders: (res) => headers(res as express.Response) }),
  );
  return router;
}
