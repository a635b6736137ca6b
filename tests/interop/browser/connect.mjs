// Drives Debian's Chromium through connkit's connect page, against the interactive oidc-provider
// (its own login and consent pages). One phase per run:
//
//   node connect.mjs <connect|deny|reconnect> <base URL of the router> <screenshot folder>
//
// connect:   open the page, connect, sign in, consent, come back: the connection is active.
// deny:      connect, sign in, cancel on the consent page: the error page says so.
// reconnect: the app asks for a new scope; the page says it is missing; grant it: active again.
//
// Exits non-zero, with what it saw, when a page is not as expected. Every request to a host other
// than this machine (127.0.0.1, and localhost where the provider is) is blocked (oidc-provider's
// pages import a web font).
import { chromium } from 'playwright-core';

const [phase, base, shots] = process.argv.slice(2);
if (!phase || !base || !shots) {
  console.error('usage: node connect.mjs <connect|deny|reconnect> <base URL> <screenshot folder>');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
const blocked = [];
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
  blocked.push(url.origin);
  return route.abort();
});
const page = await context.newPage();
const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

async function expectText(text) {
  try {
    await page.getByText(text).first().waitFor({ timeout: 10000 });
  } catch (error) {
    throw new Error(`expected "${text}" on ${page.url()}; the page says:\n${await page.locator('body').innerText()}`);
  }
}

// The provider's pages: sign in as alice (any password), then consent or cancel.
async function signIn(name) {
  await page.locator('input[name=login]').waitFor({ timeout: 10000 });
  await page.locator('input[name=login]').fill('alice');
  await page.locator('input[name=password]').fill('any password');
  await shot(`${name}-provider-login`);
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).waitFor({ timeout: 10000 });
  await shot(`${name}-provider-consent`);
}

try {
  await page.goto(`${base}connect`);
  await expectText('Signed in as');
  if (phase === 'connect') {
    await shot('1-connect-page');
    // The button is reachable from the keyboard, and named for the app.
    await page.getByRole('button', { name: 'Connect oidc-provider' }).focus();
    await page.keyboard.press('Enter');
    await signIn('2');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectText('Connected: Sign in with oidc-provider.');
    await expectText('Active');
    await shot('3-connected');
  } else if (phase === 'deny') {
    // Connected once already: the page offers another account.
    await page.getByRole('button', { name: 'Connect another account' }).click();
    await signIn('4');
    await page.getByRole('link', { name: '[ Cancel ]' }).click();
    await expectText('Connection declined');
    await expectText('nothing was connected');
    await shot('5-declined');
    await page.getByRole('link', { name: 'Back to connections' }).click();
    await expectText('Signed in as');
  } else if (phase === 'reconnect') {
    await expectText('Missing scopes: api');
    await shot('6-missing-scopes');
    await page.getByRole('button', { name: 'Grant new scopes' }).click();
    await signIn('7');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectText('Connected: Sign in with oidc-provider.');
    await expectText('Active');
    await shot('8-reconnected');
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  // What the page shows never includes a token, a code or a state.
  const html = await page.content();
  for (const word of ['access_token', 'refresh_token', 'code=', 'state=']) {
    if (html.includes(word)) throw new Error(`the page shows ${word}`);
  }
  console.log(`${phase}: ok (blocked off-machine requests: ${[...new Set(blocked)].join(', ') || 'none'})`);
} catch (error) {
  await shot(`${phase}-failure`).catch(() => {});
  console.error(`${phase}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
