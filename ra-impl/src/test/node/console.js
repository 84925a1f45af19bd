// Drives mqtt-ra-console in headless Chromium (Debian's, through playwright-core) for arquillian-tests' ConsoleIT.
// usage: node console.js <console url> <user> <password> <client id to disconnect> <screenshot.png>
// Prints READY received=<n> once the page shows live figures, MOVED received=<n> when the figures have grown
// (the test publishes after READY), CLICKED after pressing the client's Disconnect button, then DONE.
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
