// Headless Chromium (Debian's package) for the page tests, and a tab that
// records console errors and every request leaving the file system.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function watchedTab(browser, errors, requests) {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  tab.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  tab.on("pageerror", (e) => errors.push(String(e)));
  tab.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  return tab;
}
