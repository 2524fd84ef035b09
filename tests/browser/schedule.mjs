// The schedule's week page in Debian's Chromium: the note that a newer schedule
// may exist shows only once the week is over (by the reader's clock), and the
// week prints on one A4 landscape page. Prints JSON on stdout.
//
//   node schedule.mjs PUBLIC_DIR /lich-cong-tac/2025/tuan-27/
import { chromium } from "playwright-core";
import { serve, CHROMIUM_ARGS } from "./serve.mjs";

const [publicArg, weekPath] = process.argv.slice(2);
const { server, origin } = await serve(publicArg);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});

async function noteShown(clock) {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(clock));
  await page.goto(origin + weekPath, { waitUntil: "load" });
  const shown = await page.isVisible(".lich-cu");
  await context.close();
  return shown;
}

const page = await browser.newPage();
await page.goto(origin + weekPath, { waitUntil: "load" });
const ends = await page.getAttribute("[data-week-ends]", "data-week-ends");
const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
const text = pdf.toString("latin1");
const pages = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
const box = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
const report = {
  ends,
  duringWeek: await noteShown(Date.parse(ends) - 3 * 24 * 3600 * 1000),
  afterWeek: await noteShown(Date.parse(ends) + 3600 * 1000),
  printedPages: pages,
  pageSize: box ? [Number(box[3]) - Number(box[1]), Number(box[4]) - Number(box[2])] : null,
};
await browser.close();
server.close();
process.stdout.write(JSON.stringify(report) + "\n");
