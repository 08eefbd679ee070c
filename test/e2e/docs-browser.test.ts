import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { tempDir } from '../helpers/tmp.js';

// /docs in a real headless Chromium (puppeteer-core, the system's browser; .ci/run installs it): Authorize with a
// gateway key, then "Try it out" on POST /v1/chat/completions with the example body, Execute → 200 in the page.

/** What the page function reads in the browser (this file is type-checked without the DOM library). */
interface BrowserGlobals {
  readonly document: { querySelector(selector: string): { readonly textContent: string | null } | null };
}

/** The system's Chromium, or undefined (then the test is skipped, saying so). */
function chromiumPath(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path !== '') return path;
    } catch {
      // Not on PATH: try the next name.
    }
  }
  return undefined;
}

const executablePath = chromiumPath();
if (executablePath === undefined) {
  console.warn('docs-browser.test.ts skipped: no `chromium` on PATH (apt-get install -y chromium; .ci/run does)');
}
// Skipped only where no Chromium is installed (said above); .ci/run installs it, so CI always runs this.
// eslint-disable-next-line no-restricted-properties
const describeWithChromium = executablePath === undefined ? describe.skip : describe;

describeWithChromium('/docs in headless Chromium', () => {
  let gateway: LocalGateway;
  let browser: Browser;
  let page: Page;
  const data = tempDir('docs-browser');

  beforeAll(async () => {
    gateway = await startLocalGateway({
      port: 0,
      host: '127.0.0.1',
      dataDir: data.path,
      configFile: join(REPO_ROOT, 'gateway.config.json'),
    });
    browser = await puppeteer.launch({
      executablePath: executablePath!,
      headless: true,
      // Root in CI containers: Chromium's sandbox needs user namespaces it may not have.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    data.remove();
  });

  test('Authorize, Try it out on POST /v1/chat/completions, Execute: the response panel shows 200', async () => {
    await page.goto(`${gateway.url}/docs`, { waitUntil: 'load' });
    await page.waitForSelector('button.authorize');
    await page.click('button.authorize');

    // The gatewayKey scheme's form in the dialog: its Bearer value, then its own Authorize button.
    const form = await page.waitForSelector(
      '.auth-container:has(h4 code) form:has(input[aria-label="auth-bearer-value"])',
    );
    const input = await form!.waitForSelector('input[aria-label="auth-bearer-value"]');
    await input!.type(gateway.devKey.key);
    const submit = await form!.waitForSelector('button.authorize');
    await submit!.click();
    await form!.waitForSelector('button[aria-label="Remove authorization"]');
    await page.click('button.btn-done');

    const operation = '#operations-chat-createChatCompletion';
    await page.click(`${operation} .opblock-summary`);
    await page.waitForSelector(`${operation} button.try-out__btn`);
    await page.click(`${operation} button.try-out__btn`);
    const body = await page.waitForSelector(`${operation} textarea.body-param__text`);
    const example = (await body!.evaluate((el) => (el as unknown as { value: string }).value)) as string;
    expect(JSON.parse(example)).toMatchObject({ model: 'demo' });
    await page.click(`${operation} button.execute`);

    const status = await page.waitForSelector(`${operation} .live-responses-table .response .response-col_status`);
    const text = (await status!.evaluate((el) => el.textContent ?? '')) as string;
    // The response body, as the panel renders it once it has it: the echo provider's chat completion.
    const bodyShown = await page.waitForFunction(
      (selector: string) =>
        (globalThis as unknown as BrowserGlobals).document
          .querySelector(selector)
          ?.textContent?.includes('"object": "chat.completion"') === true,
      {},
      `${operation} .live-responses-table .response .response-col_description`,
    );
    const shown = (await bodyShown.jsonValue()) as boolean;
    expect([text.trim(), shown]).toEqual(['200', true]);
  }, 180_000);
});
