// Drives the register's filter in Debian's Chromium: for each choice of
// form, year and status, which rows of the page stay visible. Prints JSON.
//
//   node register.mjs PUBLIC_DIR /van-ban/
import path from "node:path";
import { chromium } from "playwright-core";
import { serve, CHROMIUM_ARGS } from "./serve.mjs";

const [publicArg, pagePath] = process.argv.slice(2);
const { server, origin } = await serve(path.resolve(publicArg));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
const requests = [];
page.on("request", (r) => requests.push(r.url()));
// The table's place as a slow phone first paints the page, before the scripts
// at its end have run: the same as once they have, or the filter would push
// the table down under the reader (a layout shift).
const html = await (await fetch(origin + pagePath)).text();
const tableEnd = html.indexOf("</table>");
const unscripted = html.slice(0, tableEnd) + html.slice(tableEnd).replace(/<script[\s\S]*?<\/script>/g, "");
await page.route(`${origin}${pagePath}?before-scripts`, (route) =>
  route.fulfill({ contentType: "text/html; charset=utf-8", body: unscripted }));
await page.goto(`${origin}${pagePath}?before-scripts`, { waitUntil: "load" });
const tableTop = () => page.$eval("#danh-sach", (table) => table.getBoundingClientRect().top);
const tableTopBeforeScripts = await tableTop();
// The page's icon may be asked for after "load": only what narrowing asks counts.
await page.goto(origin + pagePath, { waitUntil: "networkidle" });
const loaded = requests.length;
const visibleNumbers = () => page.$$eval("#danh-sach tbody tr", (rows) =>
  rows.filter((r) => !r.hidden).map((r) => r.querySelector("td a").textContent));
const report = {
  tableTopBeforeScripts,
  tableTop: await tableTop(),
  // What the browser counted as layout shift while the page loaded.
  layoutShift: await page.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) sum += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => resolve(sum), 200);
  })),
  formShown: await page.isVisible("#loc-van-ban"),
  all: await visibleNumbers(),
  options: await page.$$eval("#loc-van-ban select", (selects) =>
    Object.fromEntries(selects.map((s) => [s.dataset.filter, [...s.options].map((o) => o.value)]))),
  narrowed: {},
};
for (const [filter, value] of [["status", "het-hieu-luc"], ["type", "Kế hoạch"], ["year", "2021"]]) {
  await page.selectOption(`select[data-filter=${filter}]`, value);
  report.narrowed[`${filter}=${value}`] = { rows: await visibleNumbers(), said: await page.textContent("#loc-van-ban output") };
  await page.selectOption(`select[data-filter=${filter}]`, "");
}
await page.selectOption("select[data-filter=status]", "het-hieu-luc");
await page.selectOption("select[data-filter=year]", "2021");
report.narrowed["status=het-hieu-luc&year=2021"] = { rows: await visibleNumbers() };
report.requestsAfterLoad = requests.slice(loaded).filter((url) => !/\/favicon\.|\/images\/logo\./.test(url)).length;
report.requestsSeen = requests.slice(loaded);
await browser.close();
server.close();
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
