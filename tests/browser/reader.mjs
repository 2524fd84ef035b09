// What a reader on a cheap phone (360 x 740) meets on a document's page, the
// register and the schedule, in Debian's Chromium. Prints JSON on stdout.
//
//   node reader.mjs PUBLIC_DIR DOCUMENT_PATH REGISTER_PATH SCHEDULE_PATH SEARCH_PATH PDF_OUT ARCHIVE_PATH
//
// - document: where the first download link is (its box) and whether a word of
//   a table in the text is broken across lines; the page printed, to PDF_OUT;
// - register: how wide the page is laid out (scrollWidth) on a 360 px screen;
// - schedule: whether the "this week" label shows (by the week's title and in
//   the list of weeks) during and after the week, by the reader's clock, and
//   after it with JavaScript off;
// - search: axe-core's WCAG 2.1 A/AA violations on the page of a query's
//   answer, in light and dark mode, once the hits are in.
//
// Or, each on its own:
//
//   node reader.mjs --menu PUBLIC_DIR PATH
//
// - menu: with JavaScript on and off, each item of the main menu once the
//   reader has opened it (as a thumb would: a tap on the first thing that
//   shows it): its box, and whether a tap on its middle lands on it; and
//   axe-core's targets too small (WCAG 2.2) on PATH, menu shut and open;
// - focusInHeader: each stop of the keyboard in the header, its focus ring's
//   contrast with the header's background;
//
//   node reader.mjs --slow-search PUBLIC_DIR
//
// - slowSearch: what the search page shows while its data come slowly;
//
//   node reader.mjs --widths PUBLIC_DIR PATH...
//
// - widths: how wide each page is laid out on the phone (scrollWidth).
import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { serve, CHROMIUM_ARGS } from "./serve.mjs";

const mode = process.argv[2].startsWith("--") ? process.argv[2] : "";
const args = process.argv.slice(mode ? 3 : 2);
const [publicArg, documentPath, registerPath, schedulePath, searchPath, pdfOut, archivePath] =
  mode === "--menu" ? [args[0], undefined, args[1]] : args;
const widthsOnly = mode === "--widths";
const { server, origin } = await serve(publicArg);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const phone = { viewport: { width: 360, height: 740 } };

if (widthsOnly) {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const widths = {};
  for (const path of args.slice(1)) {
    await page.goto(origin + path, { waitUntil: "load" });
    widths[path] = await page.evaluate(() => document.documentElement.scrollWidth);
  }
  await browser.close();
  server.close();
  process.stdout.write(JSON.stringify({ widths }) + "\n");
  process.exit(0);
}

async function open(path, clock, javaScriptEnabled = true) {
  const context = await browser.newContext({ ...phone, javaScriptEnabled });
  const page = await context.newPage();
  if (clock !== undefined) await page.clock.setFixedTime(new Date(clock));
  await page.goto(origin + path, { waitUntil: "load" });
  return { context, page };
}

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
// axe-core's rule of WCAG 2.2's minimum target size (24 px, or that much room).
async function smallTargets(page) {
  await page.addScriptTag({ content: axeSource });
  const axe = await page.evaluate(async () =>
    await window.axe.run(document, { runOnly: { type: "rule", values: ["target-size"] } }));
  return axe.violations.flatMap((v) => v.nodes.map((n) => n.target.join(" ")));
}

const report = {};
if (mode === "") {
  const { context, page } = await open(documentPath);
  report.document = await page.evaluate(() => {
    const link = document.querySelector("a[download]");
    const box = link && link.getBoundingClientRect();
    // Each word of the text's tables on one line: a word broken across lines
    // has more than one box.
    const broken = [];
    for (const cell of document.querySelectorAll(".body td, .body th")) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const re = /[^\s-]+/g; // a line may break after a hyphen
        for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(m[0]);
        }
      }
    }
    return {
      download: box && { text: link.textContent, top: box.top, bottom: box.bottom, height: box.height },
      brokenWords: broken,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
  fs.writeFileSync(pdfOut, await page.pdf({ format: "A4" }));
  await context.close();
}
if (mode === "") {
  const { context, page } = await open(registerPath);
  report.register = { scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) };
  await context.close();
}
if (mode === "") {
  const { context, page } = await open(schedulePath);
  const ends = Date.parse(await page.getAttribute("[data-week-ends]", "data-week-ends"));
  await context.close();
  const labelShown = async (clock, js = true) => {
    const { context, page } = await open(schedulePath, clock, js);
    const shown = await page.isVisible(".lich-cong-tac .meta strong");
    const inList = await page.isVisible(".lich-cac-tuan [data-week-until]");
    await context.close();
    return shown === inList ? shown : { heading: shown, list: inList };
  };
  report.schedule = {
    duringWeek: await labelShown(ends - 3 * 24 * 3600 * 1000),
    afterWeek: await labelShown(ends + 3600 * 1000),
    noJs: await labelShown(ends + 3600 * 1000, false),
  };
}
if (mode === "") {
  const { context, page } = await open(archivePath);
  report.calendarLinks = await page.$$eval(".calendar a", (links) => links.map((a) => {
    const box = a.getBoundingClientRect();
    return [Math.round(box.width), Math.round(box.height)];
  }));
  await context.close();
}
if (mode === "") {
  report.search = {};
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ ...phone, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(origin + searchPath, { waitUntil: "load" });
    await page.waitForSelector("#ket-qua li");
    await page.addScriptTag({ content: axeSource });
    const axe = await page.evaluate(async () =>
      await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    if (scheme === "light") {
      // The same query as a reader may type it: the code run into the number.
      await page.goto(origin + "/search/?q=" + encodeURIComponent("QĐ2/2024"), { waitUntil: "load" });
      await page.waitForSelector("#ket-qua li");
      report.search.runTogether = await page.$$eval("#ket-qua li h2 a, #ket-qua li a", (links) =>
        links.map((a) => new URL(a.href).pathname));
    }
    report.search[scheme] = axe.violations.map((v) => v.id + ": " +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary).join(" | "));
    await context.close();
  }
}
if (mode === "--slow-search") {
  // A slow link: each of the search's data files arrives 1.2 s after it is
  // asked for. What the page shows 0.8 s after the reader asked, and once
  // the answer is in.
  const { context, page } = await open("/search/");
  await page.route(/\/search\/.+\.(json|bin)$/, async (route) => {
    await new Promise((ok) => setTimeout(ok, 1200));
    await route.continue();
  });
  await page.fill("#q", "quyet dinh 2");
  await page.press("#q", "Enter");
  await page.waitForTimeout(800);
  const afterAWhile = (await page.innerText("#ket-qua")).trim();
  await page.waitForSelector("#ket-qua li", { timeout: 30000 });
  report.slowSearch = { afterAWhile, answered: await page.$$eval("#ket-qua li", (li) => li.length) };
  await context.close();
}
if (mode === "--menu") report.menu = {};
for (const js of mode === "--menu" ? [true, false] : []) {
  const { context, page } = await open(registerPath, undefined, js);
  const items = ".menu li a";
  if (js) report.menu.smallTargets = await smallTargets(page);
  const opener = page.locator(".menu a, .menu button").first();
  if (!(await page.locator(items).first().isVisible()) && (await opener.isVisible())) {
    report.menu[js ? "opener" : "openerNoJs"] = await opener.evaluate((a) => {
      const box = a.getBoundingClientRect();
      return { text: a.textContent.trim(), height: Math.round(box.height) };
    });
    await opener.click();
  }
  if (js) report.menu.smallTargetsOpen = await smallTargets(page);
  report.menu[js ? "js" : "noJs"] = await page.$$eval(items, (links) => links.map((a) => {
    a.scrollIntoView({ block: "center" });
    const box = a.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      text: a.textContent.trim(),
      left: Math.round(box.left),
      right: Math.round(box.right),
      height: Math.round(box.height),
      tapped: hit !== null && a.contains(hit),
    };
  }));
  await context.close();
}
if (mode === "--menu") {
  // Tab from the top of the page through the header: each stop's focus ring
  // against the colour around it (the header's own background).
  const { context, page } = await open(registerPath);
  report.focusInHeader = [];
  for (;;) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e.closest(".site-header")) return e.closest(".skip") ? "before" : null;
      const rgb = (c) => c.match(/[\d.]+/g).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
      let around = e.parentElement;
      while (around && rgb(getComputedStyle(around).backgroundColor)[3] === 0) around = around.parentElement;
      const [a, b] = [lum(rgb(getComputedStyle(e).outlineColor)), lum(rgb(getComputedStyle(around).backgroundColor))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      return { text: (e.textContent || e.id).trim(), contrast: Math.round(ratio * 10) / 10 };
    });
    if (stop === null || report.focusInHeader.length > 20) break;
    if (stop !== "before") report.focusInHeader.push(stop);
  }
  await context.close();
}
await browser.close();
server.close();
process.stdout.write(JSON.stringify(report) + "\n");
