import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
const base = 'http://127.0.0.1:18095';
const out = '/tmp/bt5/pages';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const roles = (process.env.ROLES ?? 'director,supervisor.east,rep.east1').split(',');
const widths = (process.env.WIDTHS ?? '1366,390').split(',').map(Number);
for (const role of roles) for (const w of widths) {
  const phone = w < 600;
  const ctx = await browser.newContext({ viewport: { width: w, height: phone ? 844 : 900 }, isMobile: phone, hasTouch: phone });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log('PAGEERROR', role, w, String(e)));
  if (process.env.EN) await ctx.addInitScript(() => localStorage.setItem('dudao.lang', 'en'));
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', `${role}@dudao.demo`);
  await page.fill('input[name=password]', 'dudao-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('.home-grid', { timeout: 20000 });
  const tag = `${role.split('.')[0]}-${w}${process.env.EN ? '-en' : ''}`;
  await page.goto(`${base}/training`);
  await page.waitForSelector('[data-testid=tr-course-row]', { timeout: 20000 });
  if (role === 'director' && process.env.OPEN) await page.click('[data-testid=tr-new-course] summary');
  await page.screenshot({ path: `${out}/${tag}-1-courses.png`, fullPage: true });
  await page.click(`[data-testid=tr-course-row] >> text=${process.env.COURSE ?? '价格谈判与异议处理'}`);
  await page.waitForSelector('[data-testid=tr-session-row], .tr-sessions, .state.empty', { timeout: 20000 });
  await page.waitForTimeout(300);
  if (role !== 'rep.east1' && process.env.OPEN) { await page.click('[data-testid=tr-schedule] summary'); await page.waitForTimeout(1500); }
  await page.screenshot({ path: `${out}/${tag}-2-course.png`, fullPage: true });
  const link = await page.$(process.env.SESSION ?? '[data-testid=tr-session-row]:has-text("华东") a');
  if (link) {
    await link.click();
    await page.waitForSelector('.tr-facts', { timeout: 20000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/${tag}-3-session.png`, fullPage: true });
  }
  await page.goto(`${base}/training/mine`);
  await page.waitForSelector('[data-testid=tr-mine-row], [data-testid=tr-mine-empty]', { timeout: 20000 });
  await page.screenshot({ path: `${out}/${tag}-4-mine.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
