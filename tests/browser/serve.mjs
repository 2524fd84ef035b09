// A static file server for built sites in browser tests: serves PUBLIC_DIR under
// a base path (as a host would), the 404 page with status 404.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".bin": "application/octet-stream",
  ".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml", ".xml": "application/xml" };

export async function serve(publicArg, basePath = "/") {
  const publicDir = path.resolve(publicArg);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const notFound = () =>
      res.writeHead(404, { "content-type": TYPES[".html"] }).end(fs.readFileSync(path.join(publicDir, "404.html")));
    if (!pathname.startsWith(basePath)) return notFound();
    let file = path.join(publicDir, pathname.slice(basePath.length));
    if (!file.startsWith(publicDir)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) return notFound();
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
