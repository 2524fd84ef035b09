// Asks Pagefind, in Chromium, each query read from stdin (a JSON list), on a site
// with a Pagefind index: prints for each the titles of the first ten hits and the
// bytes fetched for it from a cold cache (script, WebAssembly, index, fragments).
//
//   node bench/pagefind.mjs SITE_DIR < queries.json
import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");
const { serve, CHROMIUM_ARGS } = await import("../tests/browser/serve.mjs");

const [site] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const { server, origin } = await serve(site, "/");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
const out = [];
for (const query of queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0;
  page.on("response", async (r) => {
    if (r.url().includes("/pagefind/")) bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
  });
  await page.goto(`${origin}/404.html`);
  const titles = await page.evaluate(async (q) => {
    const pagefind = await import("/pagefind/pagefind.js");
    await pagefind.init();
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    return data.map((d) => d.meta.title);
  }, query);
  out.push({ query, titles, bytes });
  await context.close();
}
await browser.close();
server.close();
process.stdout.write(JSON.stringify(out) + "\n");
