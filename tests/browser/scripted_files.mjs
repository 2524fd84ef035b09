// Opens each file of a site served by a plain static server (the test starts
// `python3 -m http.server` on public/), as a reader following a link would, and
// reports which of them ran a script at the site's address: each sample's
// script writes `ran-<file>` to the address's localStorage, read back from the
// site's home page, where Decap CMS keeps its sign-in.
//
//   node scripted_files.mjs ORIGIN  < {"files": ["/images/a.svg", …]}
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./serve.mjs";

const [origin] = process.argv.slice(2);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { files } = JSON.parse(input);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const page = await (await browser.newContext()).newPage();
const opened = {};
for (const file of files) {
  const answer = await page.goto(origin + file);
  opened[file] = answer.status();
  // A sample whose script waits for a click (a link's address) gets one.
  try {
    const link = await page.$("#l");
    if (link) await link.click({ timeout: 2000 });
  } catch {
    // The page went elsewhere by itself (a refresh): nothing to click.
  }
  await page.waitForTimeout(200);
}
await page.goto(origin + "/");
const ran = await page.evaluate(() => Object.keys(localStorage).sort());
console.log(JSON.stringify({ opened, ran }));
await browser.close();
