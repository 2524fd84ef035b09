// The editor's warnings notice and the clerk's saves, in the order that raced:
// a notice of an earlier save reaches the page after the clerk saved again.
// The event stream is a stand-in the script drives (so the order is the
// script's, not timing luck); the save goes through the page's own fetch to
// `bantin serve`'s /api/v1, held by the script until it lets it answer.
//
//   node late_notice.mjs ORIGIN
//
// Prints JSON: whether the notice is shown at each step, and its text.
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./serve.mjs";

const [origin] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage();
const result = { errors: [] };
page.on("pageerror", (e) => result.errors.push(e.message));

// The editor's event stream, told by this script; every other one is real.
await page.addInitScript(() => {
  const Real = window.EventSource;
  window.toldStreams = [];
  window.EventSource = function (url) {
    if (!String(url).endsWith("/admin/events")) return new Real(url);
    const listeners = {};
    const stream = {
      addEventListener: (type, f) => { (listeners[type] = listeners[type] || []).push(f); },
      close: () => {},
    };
    window.tell = (type, data) =>
      (listeners[type] || []).forEach((f) => f({ data: JSON.stringify(data) }));
    window.toldStreams.push(url);
    return stream;
  };
});

// Saves are held until released, then answered as the server answered them.
let release = null;
await page.route("**/api/v1", async (route) => {
  const body = JSON.parse(route.request().postData() || "{}");
  if (body.action !== "persistEntry") return route.continue();
  const answer = await route.fetch();
  await new Promise((go) => { release = go; });
  await route.fulfill({ response: answer });
});

await page.goto(new URL("/admin/", origin).href);
await page.waitForFunction(() => window.tell && window.CMS, null, { timeout: 30000 });
const notice = page.locator("#bantin-warnings");
const shown = async () => ((await notice.isVisible()) ? await notice.textContent() : null);

// A save whose answer is held; resolves to its `bantin-save` once released.
const save = () => page.evaluate(() => {
  window.saved = window.fetch("/api/v1", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      action: "persistEntry",
      params: {
        branch: "main",
        dataFiles: [{ slug: "x", path: "content/thong-bao/lich-tiep-cong-dan.md",
          raw: "---\ntitle: Lịch tiếp công dân\ndate: 2014-02-01\ncategory: Thông báo\n---\nx\n" }],
        assets: [],
        options: { commitMessage: "x", useWorkflow: false, status: "" },
      },
    }),
  }).then((r) => r.headers.get("bantin-save"));
});
const answered = async () => {
  while (!release) await new Promise((r) => setTimeout(r, 20));
  release();
  release = null;
  return page.evaluate(() => window.saved);
};

await page.evaluate(() => window.tell("ok", "ok"));
await page.evaluate(() => window.tell("warned", { text: "a.md:1:1: warning: before any save", save: 0 }));
result.before = await shown();

// The clerk saves; the notice of the last save's build, told by the server
// before this save reached it, reaches the page after she pressed save.
await save();
result.hiddenBySave = (await shown()) === null;
await page.evaluate(() => window.tell("warned", { text: "a.md:1:1: warning: of the save before", save: 0 }));
result.firstSave = await answered();
await page.waitForTimeout(200);
result.afterLateNotice = await shown();

// This save's own build tells a warning: shown.
const first = Number(result.firstSave);
await page.evaluate((n) => window.tell("warned", { text: "a.md:1:1: warning: of this save", save: n }), first);
result.ofThisSave = await shown();

// Another save; its build's notice reaches the page before the answer does:
// it waits for the answer, then shows.
await save();
await page.evaluate((n) => window.tell("warned", { text: "a.md:1:1: warning: of the next save", save: n + 1 }), first);
result.beforeAnswer = await shown();
result.secondSave = await answered();
await page.waitForTimeout(200);
result.ofTheNextSave = await shown();

console.log(JSON.stringify(result));
await browser.close();
