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
// The page's icon may be asked for after "load": only what narrowing asks counts.
await page.goto(origin + pagePath, { waitUntil: "networkidle" });
const loaded = requests.length;
const visibleNumbers = () => page.$$eval("#danh-sach tbody tr", (rows) =>
  rows.filter((r) => !r.hidden).map((r) => r.querySelector("td a").textContent));
const report = {
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
