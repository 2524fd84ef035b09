// Types queries into the search page of a built site in Debian's Chromium and
// reports, as JSON on stdout, the hits each query shows (title and link, in
// order) and the bytes the browser fetched for it from a cold cache. Also: the
// header's search box leads to the results, the page does not shift while its
// answer arrives (cumulative layout shift), and without JavaScript the page says
// so on the first screen and offers the category, register and archive links.
//
//   node search.mjs PUBLIC_DIR BASE_PATH MORE_QUERY < queries.json
import fs from "node:fs";
import { chromium } from "playwright-core";
import { serve, CHROMIUM_ARGS } from "./serve.mjs";

const [publicDir, basePath, moreQuery] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const { server, origin } = await serve(publicDir, basePath);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});

// The hits on the page once the answer for `query` is shown.
async function shownHits(page, query) {
  await page.waitForFunction((q) => {
    const out = document.getElementById("ket-qua");
    return new URL(location.href).searchParams.get("q") === q &&
      !out.hasAttribute("aria-busy") && out.querySelector(".search-count, .search-error");
  }, query);
  return page.$$eval("#ket-qua .search-results h2 a", (links) =>
    links.map((a) => [a.textContent, a.getAttribute("href")]));
}

const results = [];
const errors = [];
for (const query of queries) {
  // A fresh context each time: a cold cache, as for a reader's first query.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`${query}: ${e.message}`));
  let bytes = 0;
  page.on("response", async (r) => {
    if (r.url().includes("/search/") && !r.url().endsWith("/search/") && !r.url().includes("/search/?")) {
      bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
    }
  });
  await page.goto(`${origin}${basePath}search/`);
  await page.locator("#q").click();
  await page.keyboard.type(query);
  await page.keyboard.press("Enter");
  const hits = await shownHits(page, query);
  const count = await page.textContent("#ket-qua .search-count");
  const marks = await page.$$eval("#ket-qua mark", (m) => m.length);
  results.push({ query, hits, bytes, count, marks });
  await context.close();
}

// "More results" shows the next hits after the first ten.
const moreContext = await browser.newContext();
const morePage = await moreContext.newPage();
await morePage.goto(`${origin}${basePath}search/?q=${encodeURIComponent(moreQuery)}`);
await shownHits(morePage, moreQuery);
const more = { count: await morePage.textContent("#ket-qua .search-count"), hits: [] };
if (await morePage.$(".search-more")) {
  await morePage.click(".search-more");
  await morePage.waitForFunction(() => document.querySelectorAll("#ket-qua .search-results li").length > 10);
  more.hits = await shownHits(morePage, moreQuery);
}
await moreContext.close();

// Cumulative layout shift while the page loads and answers `moreQuery` from its
// address, as Lighthouse measures it (its phone and desktop screens): the sum of
// the layout-shift entries not caused by input.
const cls = [];
for (const viewport of [{ width: 412, height: 823 }, { width: 1350, height: 940 }]) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  const page = await context.newPage();
  await page.goto(`${origin}${basePath}search/?q=${encodeURIComponent(moreQuery)}`);
  await shownHits(page, moreQuery);
  // Shifts are reported after the frame that made them.
  await page.waitForTimeout(300);
  cls.push({ viewport, cls: await page.evaluate(() => window.__cls) });
  await context.close();
}

// The header's box on the home page submits to the search page, which answers.
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(`${origin}${basePath}`);
await page.fill("#q-header", queries[0]);
await page.press("#q-header", "Enter");
await page.waitForURL(/\/search\/\?q=/);
const fromHeader = { url: page.url(), hits: await shownHits(page, queries[0]) };
await context.close();

// Without JavaScript: a message and the category and archive links.
// On a phone's screen (360 x 740), where the message's top is.
const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
const plain = await noJs.newPage();
await plain.goto(`${origin}${basePath}search/?q=dan`);
const noScript = {
  text: await plain.innerText("main"),
  links: await plain.$$eval("main a", (links) => links.map((a) => a.textContent)),
  top: await plain.$eval("main noscript p", (p) => Math.round(p.getBoundingClientRect().top)),
};
await noJs.close();

await browser.close();
server.close();
process.stdout.write(JSON.stringify({ results, more, cls, fromHeader, noScript, errors }, null, 2) + "\n");
