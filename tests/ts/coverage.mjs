// Opens a plan page rendered with a coverage matrix in headless Chromium
// and reports what a person sees: each event's badge (text, colour, and
// whether it is visible), the coverage section's rows, console errors,
// requests, and whether the page is wider than a phone.
//   node coverage.mjs PAGE.html
import { launch, watchedTab } from "./chromium.mjs";
import { pathToFileURL } from "node:url";

const [page] = process.argv.slice(2);
const browser = await launch();
const errors = [];
const requests = [];
const tab = await watchedTab(browser, errors, requests);
await tab.goto(pathToFileURL(page).href);
const badges = await tab.$$eval("article[data-kind=event]", (els) => els.map((e) => {
  const badge = e.querySelector(".badge");
  if (!badge) return [e.querySelector("h3").textContent, null];
  const box = badge.getBoundingClientRect();
  return [e.querySelector("h3").textContent, badge.textContent, getComputedStyle(badge).backgroundColor, box.width > 0 && box.height > 0, badge.title];
}));
const rows = await tab.$$eval("#coverage tbody tr", (els) => els.map((r) => Array.from(r.cells).map((c) => c.textContent)));
const summary = await tab.textContent("#coverage p");
const mobile = await browser.newPage({ viewport: { width: 390, height: 800 } });
await mobile.goto(pathToFileURL(page).href);
const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
await browser.close();
console.log(JSON.stringify({ errors, requests, badges, rows, summary, overflow }));
