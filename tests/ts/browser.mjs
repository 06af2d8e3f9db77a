// Opens a generated plan page in headless Chromium (Debian's package) and
// reports what a person would see: console errors, the events shown before
// and after typing in the search box and choosing a tag, the properties and
// groups a second search finds, and a screenshot.
//   node browser.mjs PAGE.html SCREENSHOT.png QUERY TAG QUERY2
import { launch, watchedTab } from "./chromium.mjs";
import { pathToFileURL } from "node:url";

const [page, screenshot, query, tag, query2] = process.argv.slice(2);
const browser = await launch();
const errors = [];
const requests = [];
const tab = await watchedTab(browser, errors, requests);
await tab.goto(pathToFileURL(page).href);
const visible = () => tab.$$eval("article[data-kind=event]", (els) => els.filter((e) => !e.classList.contains("hidden")).map((e) => e.querySelector("h3").textContent));
const before = await visible();
await tab.screenshot({ path: screenshot, fullPage: false });
await tab.fill("#search", query);
const searched = await visible();
const count = await tab.textContent("#count");
const others = () => tab.$$eval("[data-search]:not([data-kind=event])", (els) => els.filter((e) => !e.classList.contains("hidden")).map((e) => e.getAttribute("data-kind") + " " + e.getAttribute("data-name")));
const sections = () => tab.$$eval("section", (els) => els.filter((e) => !e.classList.contains("hidden")).map((e) => e.id));
const searchedOthers = await others();
await tab.fill("#search", query2);
const second = { events: await visible(), others: await others(), sections: await sections(), count: await tab.textContent("#count"), none: await tab.isVisible("#none") };
await tab.fill("#search", "");
await tab.selectOption("#tag", tag);
const tagged = await visible();
const taggedSections = await sections();
const mobile = await browser.newPage({ viewport: { width: 390, height: 800 } });
await mobile.goto(pathToFileURL(page).href);
const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
await browser.close();
console.log(JSON.stringify({ errors, requests, before, searched, searchedOthers, count, second, tagged, taggedSections, overflow }));
