// Opens built pages in Debian's Chromium and reports, as JSON on stdout, for each
// page, width and colour scheme (light at 360 and 1280 px, dark at 360 px, as
// `prefers-color-scheme` asks): axe-core's WCAG 2.1 A/AA violations, requests to
// other hosts, requests that failed (a missing favicon among them), errors in the
// console, the page's background colour, the bytes of HTML and CSS, and a
// full-page screenshot.
//
//   node check.mjs PUBLIC_DIR SCREENSHOT_DIR /path/ [/other/path/ ...]
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { serve, CHROMIUM_ARGS } from "./serve.mjs";

const require = createRequire(import.meta.url);
const [publicArg, shotDir, ...paths] = process.argv.slice(2);
const publicDir = path.resolve(publicArg);
const RUNS = [
  { width: 360, scheme: "light" },
  { width: 1280, scheme: "light" },
  { width: 360, scheme: "dark" },
];
const { server, origin } = await serve(publicDir);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
fs.mkdirSync(shotDir, { recursive: true });
const report = [];
for (const pagePath of paths) {
  for (const { width, scheme } of RUNS) {
    // Playwright sets the scheme through CDP's Emulation.setEmulatedMedia.
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    const external = [];
    const failed = [];
    const consoleErrors = [];
    // The 404 page is itself answered with 404, which Chromium logs: not a fault.
    page.on("console", (m) => {
      if (m.type() === "error" && m.location().url !== origin + pagePath) consoleErrors.push(m.text());
    });
    page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
    const bytes = { html: 0, css: 0 };
    page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) external.push(r.url()); });
    page.on("response", async (r) => {
      const type = r.headers()["content-type"] || "";
      const body = await r.body().catch(() => Buffer.alloc(0));
      if (type.startsWith("text/html")) bytes.html += body.length;
      if (type.startsWith("text/css")) bytes.css += body.length;
      // The 404 page itself is asked for with a missing path; nothing else may be missing.
      if (r.status() >= 400 && r.url() !== origin + pagePath) failed.push(`${r.url()} (${r.status()})`);
    });
    await page.goto(origin + pagePath, { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const axe = await page.evaluate(async () =>
      await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const violations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    let textSize = null;
    const larger = await page.$("[data-text-size='1']");
    if (larger && await larger.isVisible()) {
      const before = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
      await larger.click();
      const after = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
      textSize = { before, after };
    }
    const name = (pagePath.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home") + `-${width}${scheme === "dark" ? "-dark" : ""}.png`;
    await page.screenshot({ path: path.join(shotDir, name), fullPage: true });
    report.push({ path: pagePath, width, scheme, violations, external, failed, consoleErrors,
      background, bytes, textSize, screenshot: name });
    await context.close();
  }
}
await browser.close();
server.close();
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
