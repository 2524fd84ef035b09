// Runs queries on the search page of a built site in Debian's Chromium and
// reports, as JSON on stdout, the hits each shows: title, link, whether it is
// marked as a document, whether it says it was found in an attached file. A
// query given with `true` is run with "documents only" ticked.
//
//   node search_documents.mjs PUBLIC_DIR BASE_PATH < '[["query", false], ...]'
import fs from "node:fs";
import { chromium } from "playwright-core";
import { serve, CHROMIUM_ARGS } from "./serve.mjs";

const [publicDir, basePath] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const { server, origin } = await serve(publicDir, basePath);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const context = await browser.newContext();
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));

const results = [];
for (const [query, documentsOnly] of queries) {
  await page.goto(`${origin}${basePath}search/`);
  if (documentsOnly) await page.check("input[name=loai]");
  await page.locator("#q").fill(query);
  await page.keyboard.press("Enter");
  await page.waitForFunction((q) => {
    const out = document.getElementById("ket-qua");
    return new URL(location.href).searchParams.get("q") === q &&
      !out.hasAttribute("aria-busy") && out.querySelector(".search-count, .search-error");
  }, query);
  const hits = await page.$$eval("#ket-qua .search-results li", (items) => items.map((li) => {
    const a = li.querySelector("h2 a");
    return [a.textContent, a.getAttribute("href"), !!li.querySelector(".search-kind"),
      !!li.querySelector(".search-in-attachment")];
  }));
  results.push({ query, hits, url: page.url() });
}
await browser.close();
server.close();
process.stdout.write(JSON.stringify({ results, errors }, null, 2) + "\n");
