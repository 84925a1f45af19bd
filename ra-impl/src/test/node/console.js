// Drives mqtt-ra-console in headless Chromium (Debian's, through playwright-core) for arquillian-tests' ConsoleIT.
// usage: node console.js <console url> <user> <password> <client id to disconnect> <screenshot.png>
// Prints READY received=<n> once the page shows live figures, MOVED received=<n> when the figures have grown
// (the test publishes after READY), TREE count=<n> preview=<p> once it has expanded sensors > room1 in the topic
// tree and reads sensors/room1/temperature, TREE MOVED count=<m> preview=<p> when that count has grown by 5 (the
// test publishes 5 more after TREE), CLICKED after pressing the client's Disconnect button, then DONE.
const chromium = require('./chromium');

const [url, user, password, clientId, screenshot] = process.argv.slice(2);
const received = (page) => page.textContent('#received').then(Number);

(async () => {
  const browser = await chromium.launch();
  try {
    const context = await browser.newContext({ httpCredentials: { username: user, password }, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => console.log('CONSOLE ' + m.text()));
    page.on('dialog', (d) => { console.log('DIALOG ' + d.message()); d.dismiss(); });
    const response = await page.goto(url);
    console.log('STATUS ' + response.status());
    await page.waitForFunction(() => document.getElementById('status').textContent === 'live'
      && /^\d+$/.test(document.getElementById('received').textContent), null, { timeout: 20000 });
    const before = await received(page);
    console.log('READY received=' + before);
    await page.waitForFunction((n) => Number(document.getElementById('received').textContent) > n, before, { timeout: 20000 });
    // two more snapshots, so that the rate chart has drawn the traffic
    await page.waitForTimeout(2500);
    console.log('MOVED received=' + (await received(page)) + ' rateIn=' + (await page.textContent('#rateIn'))
      + ' connected=' + (await page.textContent('#connected')));
    await page.click('li[data-path="sensors"] > button.toggle');
    await page.click('li[data-path="sensors/room1"] > button.toggle');
    const leaf = 'li[data-path="sensors/room1/temperature"]';
    await page.waitForSelector(leaf + ' > .count', { timeout: 20000 });
    const count = () => page.textContent(leaf + ' > .count').then(Number);
    const preview = () => page.textContent(leaf + ' > .preview');
    const first = await count();
    console.log('TREE count=' + first + ' preview=' + (await preview()));
    await page.waitForFunction(([selector, n]) => Number(document.querySelector(selector).textContent) >= n,
      [leaf + ' > .count', first + 5], { timeout: 20000 });
    console.log('TREE MOVED count=' + (await count()) + ' preview=' + (await preview()));
    await page.screenshot({ path: screenshot, fullPage: true });
    const button = page.locator('[id="disconnect-' + clientId + '"]');
    await button.waitFor({ timeout: 20000 });
    await button.click();
    console.log('CLICKED');
    await button.waitFor({ state: 'detached', timeout: 20000 });
    console.log('DONE');
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.log('ERROR ' + e);
  process.exit(1);
});
