// Drives the editor (Decap CMS from npm) that `bantin serve` offers at /admin/,
// in Debian's Chromium, as a clerk would, and reports as JSON on stdout what
// happened; the Rust test (tests/editor_browser.rs) checks the files on disk.
//
//   node decap.mjs ORIGIN SITE_ROOT IMAGE_FILE PDF_FILE THIS_WEEK [SCREENSHOT_DIR]
//
// The site's "today" is fixed by the test (SOURCE_DATE_EPOCH: Wednesday
// 25/11/2026, week 2026-W48), and the clerk types dates of that week, so that
// the saved files build without a warning whatever day the test runs.
//
// 1. open /admin/ and sign in to the local backend: the configuration loads
//    without an error in the console, the collections are listed;
// 2. create an article titled with đ and tones in "Dân vận", with a lead image
//    uploaded, and publish it: the served site then shows it;
// 3. edit an existing article's views and body;
// 4. try to publish an article with its title left empty: refused;
// 5. a file that breaks the build: its errors show over the editor until fixed;
// 6. fill this week's work schedule (THIS_WEEK: `2026-W48`), an end time
//    typed and then cleared;
// 7. create a document with an attachment, an expiry date typed and then
//    cleared (an emptied optional field must not be saved as "").
// 8. save an article that was saved elsewhere after the editor opened it:
//    refused with bantin's message, the other save kept.
// 9. a new article with a picture named as the first article's (another
//    picture): refused with bantin's message, the first one kept.
//
// Also: a title typed decomposed, with the Icelandic Ð for Đ, names its file
// as the title reads; the warnings notice is told again to an editor opened
// after the rebuild, stays closed once closed, and goes with the next save.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./serve.mjs";

const [origin, siteRoot, imageFile, pdfFile, thisWeek, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
// A clerk's computer in Vietnam: the time typed is the site's time.
const context = await browser.newContext({
  viewport: { width: 1280, height: 900 },
  timezoneId: "Asia/Ho_Chi_Minh",
  locale: "vi-VN",
});
const page = await context.newPage();
const result = { loadErrors: [], errors: [], saves: [] };
let loading = true;
page.on("console", (m) => {
  if (m.type() !== "error") return;
  const text = `${m.text()} ${m.location().url || ""}`;
  (loading ? result.loadErrors : result.errors).push(text);
});
page.on("pageerror", (e) => (loading ? result.loadErrors : result.errors).push(e.message));
page.on("request", (r) => {
  if (r.method() !== "POST" || !r.url().endsWith("/api/v1")) return;
  const body = JSON.parse(r.postData() || "{}");
  if (body.action === "persistEntry") {
    result.saves.push(body.params.dataFiles.map((f) => f.path));
  }
});

// Leaving an unsaved entry: the browser asks, the clerk agrees.
page.on("dialog", (d) => d.accept());

const step = async (name, run) => {
  try {
    await run();
  } catch (e) {
    if (shots) await page.screenshot({ path: `${shots}/decap-${name}.png` }).catch(() => {});
    throw new Error(`${name}: ${e.message}`);
  }
};

// Opens a view of the editor afresh (a change of the hash alone may keep the
// entry open before), signing in again if asked.
let loads = 0;
const open = async (hash) => {
  await page.goto(new URL(`/admin/?v=${++loads}#/${hash}`, origin).href);
  const login = page.getByRole("button", { name: "Đăng nhập" });
  const form = page.locator('[data-slate-editor="true"]');
  await Promise.race([login.waitFor(), form.waitFor()]);
  if (await login.isVisible()) await login.click();
  await form.waitFor();
};

const publish = async () => {
  await page.getByRole("button", { name: "Công bố", exact: true }).click();
  await page.getByText("Công bố ngay", { exact: true }).click();
};

// Waits until the editor has moved from a new entry to the saved one.
const saved = async (collection) => {
  await page.waitForURL(new RegExp(`#/collections/${collection}/entries/`), { timeout: 15000 });
  await page.getByText("Thay đổi đã được lưu", { exact: false }).first().waitFor({ timeout: 15000 });
  return decodeURIComponent(page.url().split("/entries/")[1]);
};

// Polls a page of the served site until `test` holds for its text.
const served = async (path, test) => {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const response = await fetch(new URL(path, origin));
    const text = await response.text();
    if (response.ok && test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} never showed the change`);
};

await step("load", async () => {
  await page.goto(new URL("/admin/", origin).href);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByRole("link", { name: "Dân vận" }).first().waitFor();
  result.collections = await page.evaluate(() =>
    [...document.querySelectorAll("nav a, aside a")].map((a) => a.textContent.trim()).filter(Boolean));
  loading = false;
});

await step("create", async () => {
  await open("collections/dan-van/new");
  await page.getByLabel("Tiêu đề").fill("Đường Lương Định Của");
  await page.getByLabel("Ngày đăng").fill("2026-11-25T09:45");
  await page.getByLabel("Lượt xem").fill("12");
  await page.locator('[data-slate-editor="true"]').click();
  await page.keyboard.type("Ngày 23/11, đường Lương Định Của được thông xe.");
  await page.getByRole("button", { name: "Chọn một hình" }).click();
  await page.locator('input[type="file"]').setInputFiles(imageFile);
  await page.getByText("Lấy những cái đã chọn").click();
  await publish();
  result.created = await saved("dan-van");
  result.createdPage = await served("/dan-van/duong-luong-dinh-cua/", (t) =>
    t.includes("<h1>Đường Lương Định Của</h1>")).then((t) => t.includes("anh-cau.png"));
});

await step("decomposed title", async () => {
  // Typed with Unikey's "Unicode tổ hợp" (decomposed), with the Icelandic
  // `Ð` an old input method puts for `Đ`: the file is named as the title
  // reads, not `dha-ng-u-y-…`.
  await open("collections/thong-bao/new");
  await page.getByLabel("Tiêu đề").fill("ÐẢNG ỦY phường tổng kết năm".normalize("NFD"));
  await page.getByLabel("Ngày đăng").fill("2026-11-25T10:30");
  await page.locator('[data-slate-editor="true"]').click();
  await page.keyboard.type("Tin gõ bằng Unicode tổ hợp.");
  await publish();
  result.decomposedTitle = await saved("thong-bao");
});

await step("edit", async () => {
  await open("collections/dan-van/entries/2014/tong-ket");
  await page.getByLabel("Lượt xem").fill("4352");
  // A new paragraph after the body's last one.
  const body = page.locator('[data-slate-editor="true"]');
  await body.getByText("Xem thêm").click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Bổ sung: hội nghị có 120 đại biểu.");
  await publish();
  await page.getByText("Thay đổi đã được lưu", { exact: false }).first().waitFor({ timeout: 15000 });
  result.edited = await served("/dan-van/tong-ket/", (t) =>
    t.includes("120 đại biểu")).then(() => true);
});

await step("required", async () => {
  const before = result.saves.length;
  await open("collections/thong-bao/new");
  await page.getByText("Ngay lúc này").first().click();
  await page.locator('[data-slate-editor="true"]').click();
  await page.keyboard.type("Tin không có tiêu đề.");
  await publish();
  // Decap marks the field and tells why; nothing is sent to the server.
  await page.getByText("Tiêu đề", { exact: false }).first().waitFor();
  await page.waitForTimeout(1000);
  result.refusedMessage = await page.evaluate(() => document.body.innerText.match(/.*bắt buộc.*/i)?.[0] || "");
  result.refusedSent = result.saves.length - before;
  result.refusedUrl = page.url();
});

await step("errors", async () => {
  const broken = path.join(siteRoot, "content/thong-bao/hong.md");
  fs.writeFileSync(broken, "---\ntitle: Tin hỏng\ndate: 2026-01-01\ncatgory: Thông báo\n---\n");
  const banner = page.locator("#bantin-errors");
  await banner.waitFor({ state: "visible", timeout: 20000 });
  result.banner = await banner.textContent();
  if (shots) await page.screenshot({ path: `${shots}/decap-errors.png` });
  fs.unlinkSync(broken);
  await banner.waitFor({ state: "hidden", timeout: 20000 });
  result.bannerGone = true;
});

await step("warnings", async () => {
  // Published, but with something to look at again: told over the editor
  // until closed.
  const tagged = path.join(siteRoot, "content/thong-bao/the.md");
  const text = "---\ntitle: Tin có thẻ lạ\ndate: 2026-01-01\ncategory: Thông báo\ntags: [\"…\"]\n---\nx\n";
  fs.writeFileSync(tagged, text);
  const notice = page.locator("#bantin-warnings");
  await notice.waitFor({ state: "visible", timeout: 20000 });
  result.warnings = await notice.textContent();
  // The same file written again (an editor saving twice; a watcher seeing one
  // write twice) rebuilds with nothing new: the notice stays.
  await page.evaluate(() => new Promise((opened) => {
    window.bantinReloads = 0;
    const events = new EventSource(BANTIN.events);
    events.addEventListener("reload", () => { window.bantinReloads += 1; });
    events.onopen = opened;
  }));
  fs.writeFileSync(tagged, text);
  await page.waitForFunction(() => window.bantinReloads > 0, null, { timeout: 20000 });
  await page.waitForTimeout(300);
  result.warningsKept = await notice.isVisible();
  if (shots) await page.screenshot({ path: `${shots}/decap-warnings.png` });
  // The editor opened again (reloaded, another tab) after that rebuild: told
  // again, not lost with the page that was told.
  const article = "collections/dan-van/entries/2013/hoi-nghi";
  await open(article);
  await notice.waitFor({ state: "visible", timeout: 20000 });
  result.warningsAfterReload = await notice.textContent();
  await notice.getByRole("button", { name: "Đóng" }).click();
  await notice.waitFor({ state: "hidden", timeout: 5000 });
  result.warningsClosed = true;
  // Closed, it stays closed when the page is reloaded.
  await open(article);
  await page.waitForTimeout(1500);
  result.closedStaysClosed = !(await notice.isVisible());
  // Another warning; then the clerk saves an article: the notice goes at
  // once, the save's rebuild (nothing new) does not bring it back, nor does
  // a reload.
  const other = path.join(siteRoot, "content/thong-bao/the-khac.md");
  fs.writeFileSync(other, "---\ntitle: Tin có thẻ lạ khác\ndate: 2026-01-02\ncategory: Thông báo\ntags: [\"—\"]\n---\nx\n");
  await notice.waitFor({ state: "visible", timeout: 20000 });
  result.secondWarnings = await notice.textContent();
  await page.getByLabel("Lượt xem").fill("321");
  await publish();
  await notice.waitFor({ state: "hidden", timeout: 5000 });
  await page.getByText("Thay đổi đã được lưu", { exact: false }).first().waitFor({ timeout: 15000 });
  await served("/dan-van/hoi-nghi/", (t) => t.includes("321")).catch(() => {});
  await page.waitForTimeout(1500);
  result.hiddenBySave = !(await notice.isVisible());
  await open(article);
  await page.waitForTimeout(1500);
  result.hiddenAfterSaveAndReload = !(await notice.isVisible());
  fs.unlinkSync(tagged);
  fs.unlinkSync(other);
});

await step("schedule", async () => {
  await page.goto(new URL(`/admin/?v=${++loads}#/collections/lich-cong-tac/entries/${thisWeek}`, origin).href);
  const login = page.getByRole("button", { name: "Đăng nhập" });
  const add = page.getByRole("button", { name: /việc/ });
  await Promise.race([login.waitFor(), add.waitFor()]);
  if (await login.isVisible()) await login.click();
  await add.click();
  await page.getByLabel("Bắt đầu").fill("2026-11-23T07:30");
  await page.getByLabel("Kết thúc").fill("2026-11-23T09:00");
  await page.getByLabel("Kết thúc").fill("");
  await page.getByLabel("Chủ trì").fill("Chủ tịch UBND phường, Phó Chủ tịch UBND phường");
  await page.getByLabel("Nội dung").fill("Họp giao ban đầu tuần");
  await page.getByLabel("Địa điểm").fill("Phòng họp số 1");
  await publish();
  await page.getByText("Thay đổi đã được lưu", { exact: false }).first().waitFor({ timeout: 15000 });
});

await step("document", async () => {
  await open("collections/van-ban/new");
  await page.getByLabel("Số ký hiệu").fill("25/2024/QĐ-UBND");
  await page.getByLabel("Hình thức").fill("Quyết định");
  await page.getByLabel("Cơ quan ban hành").fill("Ủy ban nhân dân phường An Khánh");
  await page.getByLabel("Ngày ban hành").fill("2024-03-12");
  await page.getByLabel("Trích yếu").fill("Ban hành Quy chế tiếp công dân");
  await page.getByLabel("Ngày có hiệu lực").fill("2024-03-22");
  await page.getByLabel("Ngày hết hiệu lực").fill("2030-01-01");
  await page.getByLabel("Ngày hết hiệu lực").fill("");
  await page.getByLabel("Người ký").fill("Nguyễn Văn A, Chủ tịch");
  await page.getByLabel("Lĩnh vực").fill("Tiếp công dân");
  await page.getByRole("button", { name: /Thêm tệp|Add tệp|tệp/i }).first().click();
  await page.getByRole("button", { name: "Chọn một tập tin" }).click();
  await page.locator('input[type="file"]').setInputFiles(pdfFile);
  await page.getByText("Lấy những cái đã chọn").click();
  await publish();
  result.document = await saved("van-ban");
});

await step("conflict", async () => {
  await open("collections/dan-van/entries/2013/hoi-nghi");
  // Meanwhile the article is saved elsewhere: another window, a colleague.
  const file = path.join(siteRoot, "content/dan-van/2013/hoi-nghi.md");
  const theirs = fs.readFileSync(file, "utf8") + "\nĐã bổ sung danh sách đại biểu.\n";
  fs.writeFileSync(file, theirs);
  await page.getByLabel("Lượt xem").fill("999");
  await publish();
  const refused = page.getByText("was changed after you opened it", { exact: false }).first();
  await refused.waitFor({ timeout: 15000 });
  result.conflictMessage = await refused.textContent();
  if (shots) await page.screenshot({ path: `${shots}/decap-conflict.png` });
  result.conflictKept = fs.readFileSync(file, "utf8") === theirs;
});

await step("same name", async () => {
  // Another picture, named as the first article's is.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bantin-khac-"));
  const other = path.join(dir, path.basename(imageFile));
  fs.writeFileSync(other, Buffer.concat([fs.readFileSync(imageFile), Buffer.from("khac")]));
  await open("collections/thong-bao/new");
  await page.getByLabel("Tiêu đề").fill("Ảnh trùng tên");
  await page.getByLabel("Ngày đăng").fill("2026-11-25T10:00");
  await page.locator('[data-slate-editor="true"]').click();
  await page.keyboard.type("Tin có ảnh trùng tên.");
  await page.getByRole("button", { name: "Chọn một hình" }).click();
  await page.locator('input[type="file"]').setInputFiles(other);
  await page.getByText("Lấy những cái đã chọn").click();
  await publish();
  const refused = page.getByText("already exists and is another file", { exact: false }).first();
  await refused.waitFor({ timeout: 15000 });
  result.sameNameMessage = await refused.textContent();
  fs.rmSync(dir, { recursive: true });
});

if (shots) await page.screenshot({ path: `${shots}/decap-editor.png` });
await browser.close();
console.log(JSON.stringify(result));
