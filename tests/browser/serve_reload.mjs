// Drives a page of `bantin serve` in Debian's Chromium while editing the site's
// files as an editor would, and reports as JSON on stdout what the page did:
// reloaded by itself after an article edit; swapped the stylesheet without a
// reload after a CSS edit; showed the errors over the page after a broken edit
// (also on a page opened while broken) and removed them once fixed.
//
//   node serve_reload.mjs ORIGIN ARTICLE_FILE OLD_TITLE NEW_TITLE CSS_FILE [SCREENSHOT]
import fs from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./serve.mjs";

const [origin, articleFile, oldTitle, newTitle, cssFile, screenshot] = process.argv.slice(2);
const home = new URL("/", origin).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const errors = [];
const result = {};

// Polls `test` in the page until it returns true; survives the page reloading.
async function until(page, what, test, arg) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    const ok = await page.evaluate(test, arg).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}
const listening = (page) => until(page, "the page listens", () => window.bantinLive !== undefined);
const setMarker = (page, value) => page.evaluate((v) => { window.bantinMarker = v; }, value);
const marker = (page) => page.evaluate(() => window.bantinMarker);

const page = await browser.newPage();
page.on("pageerror", (e) => errors.push(e.message));
await page.goto(home);
await listening(page);

// 1. An edit of the article: the page reloads by itself and shows it.
await setMarker(page, "before the edit");
let started = Date.now();
fs.writeFileSync(articleFile, fs.readFileSync(articleFile, "utf8").replace(oldTitle, newTitle));
await until(page, "the new title shows", (t) => document.body.innerText.includes(t), newTitle);
result.reloadMs = Date.now() - started;
result.reloaded = (await marker(page)) === undefined;
await listening(page);

// 2. A stylesheet edit: swapped in, the page stays (no reload).
await setMarker(page, "before the css");
const hrefBefore = await page.getAttribute('link[rel="stylesheet"]', "href");
started = Date.now();
fs.appendFileSync(cssFile, "\nbody { border-top: 7px solid rgb(1, 2, 3); }\n");
await until(page, "the new style applies", () => getComputedStyle(document.body).borderTopWidth === "7px");
result.cssMs = Date.now() - started;
result.cssKeptPage = (await marker(page)) === "before the css";
result.hrefChanged = hrefBefore !== (await page.getAttribute('link[rel="stylesheet"]', "href"));

// 3. A broken edit: the errors over the page, also on a page opened now; fixed: gone.
const good = fs.readFileSync(articleFile, "utf8");
fs.writeFileSync(articleFile, good.replace(/^category: (.*)$/m, "category: [$1"));
await until(page, "the errors show", () => !!document.getElementById("bantin-errors"));
result.overlay = await page.textContent("#bantin-errors");
if (screenshot) await page.screenshot({ path: screenshot });
const second = await browser.newPage();
await second.goto(home);
await until(second, "the errors show on a new page", () => !!document.getElementById("bantin-errors"));
result.overlayOnOpen = await second.textContent("#bantin-errors");
await second.close();
fs.writeFileSync(articleFile, good);
await until(page, "the errors are gone", () => !document.getElementById("bantin-errors"));
await until(page, "the title shows again", (t) => document.body.innerText.includes(t), newTitle);
result.overlayGone = true;

await browser.close();
process.stdout.write(JSON.stringify({ ...result, errors }, null, 2) + "\n");
