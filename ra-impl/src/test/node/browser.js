// Opens the test page in headless Chromium (Debian's, driven by playwright-core), waits until MQTT.js in
// the page has subscribed over WebSocket, prints READY, then waits for the message to show and prints it.
// usage: node browser.js <page url> <screenshot.png>
const chromium = require('./chromium');

(async () => {
  const browser = await chromium.launch();
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.log('CONSOLE ' + m.text()));
    await page.goto(process.argv[2]);
    await page.waitForFunction(() => document.getElementById('state').textContent === 'subscribed', null, { timeout: 20000 });
    console.log('READY');
    await page.waitForFunction(() => document.getElementById('message').textContent !== '', null, { timeout: 20000 });
    console.log('MESSAGE ' + (await page.textContent('#message')));
    await page.screenshot({ path: process.argv[3] });
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.log('ERROR ' + e);
  process.exit(1);
});
