// Browser tests: headless Chromium (the system's, through playwright-core) driving the
// real pages of a running Dudao with demo data. BASE_URL and CHROMIUM come from
// `cargo xtask test`; screenshots land in SCREENSHOTS for people to look at.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const shots = process.env.SCREENSHOTS ?? 'screenshots';
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const results = [];
async function test(name, fn, viewport = { width: 1280, height: 800 }, { cspProbe = false } = {}) {
  if (process.env.ONLY && !name.includes(process.env.ONLY)) return; // ONLY=… runs a subset
  // A phone's touch screen where the test asks for it (`hasTouch`, `isMobile`).
  const { hasTouch = false, isMobile = false, ...size } = viewport;
  const context = await browser.newContext({ viewport: size, hasTouch, isMobile });
  // Every page runs under the server's Content-Security-Policy: a violation fails the test.
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (!cspProbe && m.type() === 'error' && /CSP violation|Content Security Policy/.test(m.text())) errors.push(m.text());
  });
  const started = Date.now();
  try {
    await fn(page);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    // Where it stopped: the address, the title and the stack line of the step that failed.
    const at = (e.stack ?? '').split('\n').find((l) => l.includes('run.mjs')) ?? '';
    console.log(`FAIL ${name}: ${e.message}\n     at ${page.url()} "${await page.title().catch(() => '?')}" ${at.trim()}`);
    await page.screenshot({ path: join(shots, `FAIL-${name.replace(/\W+/g, '_')}.png`), fullPage: true }).catch(() => {});
  }
  await context.close();
}

function expect(cond, msg) { if (!cond) throw new Error(msg); }

async function login(page, email, password = 'dudao-demo') {
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

async function rowsText(page) {
  await page.waitForSelector('table.list tbody tr', { timeout: 15000 });
  return page.$$eval('table.list tbody tr', (trs) => trs.map((tr) => tr.innerText));
}

await test('supervisor.east sees only 华东 reps', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'home-supervisor.png') });
  await page.click('nav.sidebar >> text=销售代表');
  const rows = await rowsText(page);
  expect(rows.length === 8, `expected 8 reps, got ${rows.length}`);
  expect(rows.every((r) => r.includes('华东')), `a rep outside 华东: ${rows.find((r) => !r.includes('华东'))}`);
  const count = await page.textContent('.pager .count');
  expect(count.includes('8'), `pager says ${count}`);
  await page.screenshot({ path: join(shots, 'reps-supervisor-east.png'), fullPage: true });
  // Client-side route survives a reload, and the profile opens.
  await page.click('table.list tbody tr:first-child a');
  await page.waitForSelector('.profile', { timeout: 15000 });
  await page.reload();
  await page.waitForSelector('.profile', { timeout: 15000 });
  await page.waitForSelector('table.list tbody tr', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'rep-profile.png'), fullPage: true });
});

await test('rep.east1 sees only own customers', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  const nav = await page.textContent('nav.sidebar');
  expect(!nav.includes('区域') && !nav.includes('用户'), `rep nav shows too much: ${nav}`);
  const me = await page.$eval('.who', (el) => el.textContent);
  await page.click('nav.sidebar >> text=客户');
  const rows = await rowsText(page);
  expect(rows.length > 0, 'no customers');
  const owners = new Set(await page.$$eval('table.list tbody td[data-label] a[href^="/reps/"]', (as) => as.map((a) => a.textContent)));
  expect(owners.size === 1, `customers of several owners: ${[...owners]}`);
  expect(me.includes([...owners][0]), `owner ${[...owners][0]} is not the signed-in rep (${me})`);
  await page.screenshot({ path: join(shots, 'customers-rep.png'), fullPage: true });
});

await test('a wrong password shows a clear message', async (page) => {
  await login(page, 'rep.east1@dudao.demo', 'wrong-password');
  const msg = await page.waitForSelector('.form-error', { timeout: 15000 });
  const text = await msg.textContent();
  expect(text.includes('邮箱或密码错误'), `message was: ${text}`);
  expect(page.url().endsWith('/login'), 'should stay on the login page');
  await page.screenshot({ path: join(shots, 'login-error.png') });
});

await test('director filters, sorts, pages and switches language', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/customers`);
  await rowsText(page);
  const first = await page.textContent('.pager .count');
  await page.click('.pager button:has-text("下一页")');
  await page.waitForFunction((f) => document.querySelector('.pager .count')?.textContent !== f, first);
  await page.fill('input.search', '上海');
  await page.waitForFunction(() => [...document.querySelectorAll('table.list tbody tr')].every((tr) => tr.innerText.includes('上海')));
  await page.click('th button.sort:has-text("名称")');
  await page.click('button.lang');
  await page.waitForSelector('text=Customers');
  await page.screenshot({ path: join(shots, 'customers-director-en.png'), fullPage: true });
  await page.click('button.lang');
  await page.goto(`${base}/users`);
  const users = await rowsText(page);
  expect(users.length >= 20, `director sees ${users.length} users on the first page`);
});

await test('customer edit saves', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/customers`);
  await rowsText(page);
  await page.click('table.list tbody tr:first-child a');
  await page.waitForSelector('.facts', { timeout: 15000 });
  await page.click('button:has-text("编辑")');
  await page.fill('form.form label:nth-child(3) input', '宁波');
  await page.click('form.form button[type=submit]');
  await page.waitForSelector('form.form', { state: 'detached', timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('.facts')?.textContent.includes('宁波'), null, { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'customer-page.png'), fullPage: true });
});

await test('admin creates a supervisor with a region, then edits a region', async (page) => {
  await login(page, 'admin@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=用户');
  await rowsText(page);
  await page.click('button:has-text("新建用户")');
  await page.fill('form.form input[name=email]', 'new.supervisor@dudao.demo');
  await page.fill('form.form input[name=name]', '钱督导');
  await page.selectOption('form.form select[name=role]', 'SUPERVISOR');
  await page.check('form.form fieldset label:has-text("西北") input');
  await page.fill('form.form input[name=password]', 'short');
  await page.click('form.form button[type=submit]');
  // The browser's own minlength check or the server's BAD_USER_INPUT keeps the form open.
  await page.fill('form.form input[name=password]', 'a-long-password');
  await page.click('form.form button[type=submit]');
  await page.waitForSelector('form.form', { state: 'detached', timeout: 15000 });
  await page.fill('input.search', '钱督导');
  await page.waitForFunction(() => document.querySelector('table.list tbody')?.innerText.includes('西北'), null, { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'users-admin.png'), fullPage: true });
  await page.click('nav.sidebar >> text=区域');
  await rowsText(page);
  await page.click('table.list tbody tr:has-text("西北") button:has-text("编辑")');
  await page.fill('form.form input[name=name]', '西北大区');
  await page.click('form.form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('table.list tbody')?.innerText.includes('西北大区'), null, { timeout: 15000 });
});

await test('scorecards: director company quarter, supervisor region, rep own', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=业绩记分卡');
  await page.waitForSelector('.kpi.main .kpi-value', { timeout: 20000 });
  const sales = await page.textContent('.kpi.main .kpi-value');
  expect(/¥[\d,]+/.test(sales), `sales shown as ${sales}`);
  // The running quarter against the previous one and a year before, at its run rate.
  const change = await page.textContent('.kpi.main .change');
  expect(/环比 [+−]\d/.test(change) && /同比 [+−]\d/.test(change) && change.includes('折算'), `changes shown as ${change}`);
  await page.waitForSelector('.funnel .step', { timeout: 20000 });
  const steps = await page.$$eval('.funnel .step-bar', (bs) => bs.map((b) => Number(b.textContent)));
  expect(steps.length === 6 && steps.every((n, i) => i === 0 || n <= steps[i - 1]), `funnel ${steps}`);
  await page.waitForSelector('table.ranking tbody tr', { timeout: 20000 });
  const ranked = await page.$$eval('table.ranking tbody tr', (trs) => trs.length);
  expect(ranked === 6, `expected 6 regions in the ranking, got ${ranked}`);
  const bars = await page.$$('.chart rect.bar');
  expect(bars.length === 8, `expected 8 quarters in the trend, got ${bars.length}`);
  await page.selectOption('select[name=kind]', 'YEAR');
  await page.waitForFunction(() => document.querySelectorAll('.chart rect.bar').length === 3, null, { timeout: 20000 });
  await page.screenshot({ path: join(shots, 'scorecard-director.png'), fullPage: true });
  // A ranked region opens in place: its reps are ranked next.
  await page.click('table.ranking tbody tr:first-child a');
  await page.waitForSelector('h2:has-text("销售代表排名")', { timeout: 20000 });
  await page.waitForFunction(() => document.querySelectorAll('table.ranking tbody tr').length === 8, null, { timeout: 20000 });
  // Every figure drills down: the sales tile opens the orders behind it.
  await page.click('a.drill');
  await page.waitForURL(/\/orders\?/, { timeout: 15000 });
  const orders = await rowsText(page);
  expect(orders.length > 0, 'no orders behind the sales figure');
  expect(page.url().includes('from=') && page.url().includes('to='), `drill-down url ${page.url()}`);
  await page.screenshot({ path: join(shots, 'orders-drilldown.png'), fullPage: false });
  await page.click('.topbar button:has-text("退出")');
  await page.waitForSelector('form.login-card', { timeout: 15000 });
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=业绩记分卡');
  await page.waitForSelector('.kpi.main .kpi-value', { timeout: 20000 });
  const chip = await page.textContent('.chip');
  expect(chip.includes('我的业绩'), `rep scope shows ${chip}`);
});

await test('phone width: menu, cards and profile', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'phone-home.png') });
  await page.click('button.menu');
  await page.click('nav.sidebar >> text=客户');
  await rowsText(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  expect(!overflow, 'the page scrolls sideways at phone width');
  await page.screenshot({ path: join(shots, 'phone-customers.png'), fullPage: false });
}, { width: 390, height: 844 });

await test('login page at phone width', async (page) => {
  await page.goto(`${base}/login`);
  await page.waitForSelector('form.login-card');
  await page.screenshot({ path: join(shots, 'phone-login.png') });
}, { width: 390, height: 844 });

await test('alert inbox: supervisor acknowledges and resolves, rep only reads', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=预警');
  await page.waitForSelector('ul.alerts li.alert', { timeout: 15000 });
  const openCount = async () => Number(await page.textContent('.tabs .tab.active .count'));
  const before = await openCount();
  expect(before > 0, 'no open alerts for supervisor.east');
  // Today's digest: what is open counts the acknowledged too.
  await page.waitForSelector('.digest b', { timeout: 15000 });
  const digestOpen = Number((await page.locator('.digest b').nth(2).textContent()).replace(/,/g, ''));
  expect(digestOpen >= before, `digest says ${digestOpen} open, the open tab ${before}`);
  await page.screenshot({ path: join(shots, 'alerts-supervisor.png') });
  const first = page.locator('li.alert').first();
  await first.locator('button', { hasText: '确认' }).click();
  await page.waitForFunction((n) => Number(document.querySelector('.tabs .tab.active .count')?.textContent) === n - 1, before, { timeout: 15000 });
  // Resolve the next one with a note.
  await page.locator('li.alert').first().locator('button', { hasText: '解决' }).click();
  await page.fill('form.alert-note input', '已电话沟通');
  await page.click('form.alert-note button[type=submit]');
  await page.waitForFunction((n) => Number(document.querySelector('.tabs .tab.active .count')?.textContent) === n - 2, before, { timeout: 15000 });
  await page.click('.tabs .tab >> text=已解决');
  await page.waitForSelector('li.alert.resolved >> text=已电话沟通', { timeout: 15000 });
  // Export: what the tab shows, every page.
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.click('.export button >> text=导出 CSV'),
  ]);
  expect(/^督导-预警-\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename()), `download name ${download.suggestedFilename()}`);
  // Every alert, the most at risk first: an overdue payment or a shortfall (the rules
  // with an amount) leads.
  await page.click('.tabs .tab >> text=全部');
  await Promise.all([
    page.waitForResponse((r) => (r.request().postData() ?? '').includes('AMOUNT_AT_RISK'), { timeout: 15000 }),
    page.selectOption('select[name=sort]', 'risk'),
  ]);
  await page.waitForFunction(() => /overdue|shortfall/.test(document.querySelector('li.alert .rule')?.className ?? ''), null, { timeout: 15000 })
    .catch(async () => { throw new Error(`the alert most at risk is a ${await page.locator('li.alert .rule').first().getAttribute('class')}`); });
  await page.screenshot({ path: join(shots, 'alerts-by-risk.png') });
  // Drill-down: the first alert's records.
  await page.locator('li.alert').first().locator('a', { hasText: '查看明细' }).click();
  await page.waitForSelector('h1', { timeout: 15000 });
});

await test('rep.east1 reads own alerts without actions (phone)', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/alerts?status=ALL`);
  await page.waitForSelector('ul.alerts, .state.empty', { timeout: 15000 });
  expect(await page.locator('li.alert button').count() === 0, 'a rep is offered alert actions');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  expect(!overflow, 'the alert inbox scrolls sideways at phone width');
  await page.screenshot({ path: join(shots, 'phone-alerts-rep.png') });
}, { width: 390, height: 844 });

await test('director imports a file: a bad one is rejected line by line, a good one lands; exports download', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=导入');
  await page.waitForSelector('form.import');
  const bad = 'customer_id,rep_id,ordered_on,amount\n1,1,2026-01-05,100.00\n1,1,2026-02-30,12\n999999,1,2026-01-05,abc\n';
  await page.setInputFiles('input[type=file]', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.click('form.import button[type=submit]');
  await page.waitForSelector('table.import-errors tbody tr', { timeout: 15000 });
  const lines = await page.$$eval('table.import-errors tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  expect(JSON.stringify(lines) === JSON.stringify(['3', '4']), `bad lines reported: ${lines}`);
  await page.screenshot({ path: join(shots, 'import-rejected.png') });
  const good = 'customer_id,rep_id,ordered_on,amount\n1,1,2026-01-05,100.00\n1,1,2026-01-06,200\n';
  await page.setInputFiles('input[type=file]', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.click('form.import button[type=submit]');
  await page.waitForSelector('.state.ok', { timeout: 15000 });
  await page.click('nav.sidebar >> text=订单');
  await page.waitForSelector('table.list tbody tr', { timeout: 15000 });
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.click('.export button >> text=导出 CSV'),
  ]);
  expect(/^督导-订单-\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename()), `download name ${download.suggestedFilename()}`);
  // Headers in the reader's language, statuses as words.
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
  const [head, first] = csv.split('\n');
  expect(head.startsWith('编号,客户编号,销售代表编号,下单日期,金额,状态'), `export header ${head}`);
  expect(/,(已确认|已取消),/.test(first), `a status word in ${first}`);
  // The same list as Excel: amounts are number cells, and summing them gives the CSV's
  // total (text cells would sum to 0). Read with Python's zipfile: no spreadsheet library.
  const csvTotal = csv.trim().split('\n').slice(1).reduce((a, l) => a + Number(l.split(',')[4] || 0), 0);
  const [xlsx] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.click('.export button >> text=导出 Excel'),
  ]);
  expect(/^督导-订单-\d{4}-\d{2}-\d{2}\.xlsx$/.test(xlsx.suggestedFilename()), `download name ${xlsx.suggestedFilename()}`);
  const summed = execFileSync('python3', ['-c', `
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read('xl/worksheets/sheet1.xml').decode()
cells = re.findall(r'<c r="E(\\d+)"([^>]*)>(?:<v>([^<]*)</v>)?', sheet)
print(sum(float(v) for r, attrs, v in cells if int(r) > 1 and 't="' not in attrs and v))
`, await xlsx.path()]).toString().trim();
  expect(Math.abs(Number(summed) - csvTotal) < 0.005 && csvTotal > 0, `XLSX amounts sum to ${summed}, the CSV's to ${csvTotal}`);
  // A template per kind, in the language shown.
  await page.click('nav.sidebar >> text=导入');
  await page.waitForSelector('form.import');
  const [template] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.click('.template button >> text=下载模板（CSV）'),
  ]);
  expect(template.suggestedFilename() === '督导-订单-模板.csv', `template name ${template.suggestedFilename()}`);
  const header = (await readFile(await template.path(), 'utf8')).replace(/^\ufeff/, '').trim();
  expect(header === '客户编号,客户编码,销售代表编号,销售代表工号,下单日期*,金额*,状态,应收日期', `template ${header}`);
  // Filled in as people write: slashes in dates, ¥ and separators, a status word.
  const filled = `${header}\n1,,1,,2026/11/30,"¥1,234.50",已确认,\n`;
  await page.setInputFiles('input[type=file]', { name: '订单.csv', mimeType: 'text/csv', buffer: Buffer.from(filled) });
  await page.click('form.import button[type=submit]');
  await page.waitForSelector('.state.ok', { timeout: 15000 });
});

await test('home: the director sees the company against time and the regions behind', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-card .home-figures', { timeout: 15000 });
  const card = await page.textContent('.home-card');
  expect(card.includes('时间进度') && card.includes('进度比') && card.includes('全公司'), `home card: ${card}`);
  await page.waitForSelector('h2:has-text("进度最落后的区域")', { timeout: 15000 });
  await page.waitForSelector('.home-list li, .state.ok', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'home-director.png'), fullPage: true });
  // The language switch changes every text at once.
  await page.click('button.lang');
  await page.waitForSelector('h2:has-text("Regions furthest behind")', { timeout: 15000 });
  expect((await page.textContent('.home-card')).includes('Time elapsed'), 'the card stayed in Chinese');
  await page.click('button.lang');
}, { width: 1366, height: 900 });

await test('home: the supervisor sees the reps who need attention (phone)', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-card .home-figures', { timeout: 15000 });
  expect((await page.textContent('.home-card')).includes('华东'), 'the region is not named');
  await page.waitForSelector('h2:has-text("本周需要关注的销售代表")', { timeout: 15000 });
  await page.waitForSelector('.home-list li, .state.ok', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'home-supervisor-phone.png'), fullPage: true });
  const first = page.locator('.home-list li a').first();
  if (await first.count()) {
    await first.click();
    await page.waitForSelector('.kpi.main .kpi-value', { timeout: 20000 });
    expect(page.url().includes('/scorecard?rep='), `opened ${page.url()}`);
  }
}, { width: 390, height: 844 });

await test('home: the rep logs a visit in one tap (phone)', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-card .home-figures', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'home-rep-phone.png'), fullPage: true });
  await page.click('a.btn.big');
  await page.waitForSelector('form.new-record', { timeout: 15000 });
  // The one-time `new=visit` is not kept in the URL: a reload shows the list, not a form.
  expect(new URL(page.url()).pathname === '/activity', `opened ${page.url()}`);
}, { width: 390, height: 844 });

await test('targets: director splits a year with the helper; a split that does not add up says so', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=目标');
  await page.waitForSelector('.split-status.good', { timeout: 15000 });
  const first = page.locator('.split-grid tbody td input').first();
  const was = await first.inputValue();
  await first.fill(String(Number(was) + 1000));
  await page.waitForSelector('.split-status.bad >> text=超出', { timeout: 15000 });
  await page.click('button >> text=撤销修改');
  await page.waitForSelector('.split-status.good', { timeout: 15000 });
  await page.click('button >> text=按去年业绩建议分配');
  await page.waitForSelector('.split-status.good', { timeout: 15000 });
  await page.fill('.split-actions input.reason', '按去年业绩分配');
  await page.click('.split-actions button.primary');
  await page.waitForSelector('.notice >> text=已保存', { timeout: 15000 });
  await page.waitForSelector('.split-status.good', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'targets-director.png'), fullPage: true });
  // A region's row opens that region's quarter, split into its reps.
  await page.locator('.split-grid tbody th a').first().click();
  await page.waitForSelector('.split-grid thead >> text=销售代表', { timeout: 15000 });
});

await test('targets: supervisor decides a rep\'s proposal; the process tiles drill down to visits', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=目标');
  const item = page.locator('ul.proposals li.alert').first();
  await item.waitFor({ timeout: 15000 });
  await item.locator('button', { hasText: '裁定其他数值' }).click();
  await page.fill('ul.proposals form.alert-note input[inputmode=decimal]', '300000');
  await page.click('ul.proposals form.alert-note button[type=submit]');
  await page.waitForFunction(() => !document.querySelector('ul.proposals li.alert'), null, { timeout: 15000 });
  await page.click('nav.sidebar >> text=业绩记分卡');
  await page.waitForSelector('.kpis.process', { timeout: 15000 });
  await page.locator('.kpis.process a.kpi').first().click();
  await page.waitForURL(/\/activity\?/, { timeout: 15000 });
  await page.waitForSelector('table.list tbody tr', { timeout: 15000 });
  expect(page.url().includes('/activity') && page.url().includes('kind=VISIT'), `drill went to ${page.url()}`);
});

await test('rep.east1 sees the decided figure and its history (phone)', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/targets`);
  await page.waitForSelector('.timeline >> text=已裁定', { timeout: 15000 });
  expect((await page.textContent('.parent-target .kpi-value')).includes('300,000'), 'the decided figure is not shown');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  expect(!overflow, 'the targets page scrolls sideways at phone width');
  await page.screenshot({ path: join(shots, 'phone-targets-rep.png'), fullPage: true });
}, { width: 390, height: 844 });

await test('activity: supervisor logs a visit and resolves a complaint', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=过程');
  await page.waitForSelector('table.list tbody tr', { timeout: 15000 });
  await page.click('button >> text=记录拜访/电话');
  await page.waitForSelector('form.new-record select[required] option:nth-child(2)', { state: 'attached', timeout: 15000 });
  const name = await page.$eval('form.new-record select[required] option:nth-child(2)', (o) => o.textContent);
  await page.selectOption('form.new-record select[required]', { index: 1 });
  const inputs = page.locator('form.new-record input[type=text]');
  await inputs.nth(0).fill('陪访：确认年度框架');
  await inputs.nth(1).fill('下周送样');
  await page.click('form.new-record button[type=submit]');
  await page.waitForSelector(`table.list tbody tr >> text=陪访：确认年度框架`, { timeout: 15000 });
  expect((await page.textContent('table.list tbody tr')).includes(name), 'the new visit is not on top');
  await page.screenshot({ path: join(shots, 'activity-supervisor.png') });
  await page.click('.tabs .tab >> text=客户投诉');
  await page.selectOption('.toolbar select.filter >> nth=0', 'open');
  // The filtered list has arrived (a click on the list before it would be redrawn away).
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelectorAll('ul.alerts li.alert').length > 0
    && document.querySelectorAll('ul.alerts li.alert.resolved').length === 0, null, { timeout: 15000 });
  const open = page.locator('ul.alerts li.alert').first();
  await open.waitFor({ timeout: 15000 });
  await open.locator('button', { hasText: '解决' }).click();
  await page.fill('form.alert-note input', '已致电道歉并补发');
  await page.click('form.alert-note button[type=submit]');
  await page.waitForFunction(() => !document.querySelector('form.alert-note'), null, { timeout: 15000 });
});

await test('customers: tiers, churn warnings and the health score with its parts (phone)', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/customers?tier=A`);
  await page.waitForSelector('table.list tbody tr', { timeout: 15000 });
  const tiers = await page.$$eval('table.list tbody .tier', (els) => els.map((e) => e.textContent));
  expect(tiers.length > 0 && tiers.every((x) => x === 'A'), `tiers shown: ${tiers}`);
  await page.locator('table.list tbody tr a').first().click();
  await page.waitForSelector('.card.health .parts li', { timeout: 15000 });
  expect(await page.locator('.card.health .parts li').count() === 5, 'five health components');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  expect(!overflow, 'the customer page scrolls sideways at phone width');
  await page.screenshot({ path: join(shots, 'phone-customer-health.png'), fullPage: true });
}, { width: 390, height: 844 });

await test('the SPA runs under a strict Content-Security-Policy', async (page) => {
  const resp = await page.goto(`${base}/login`);
  const csp = resp.headers()['content-security-policy'] ?? '';
  expect(csp.includes("script-src 'self' 'wasm-unsafe-eval'") && !csp.includes("'unsafe-eval'") &&
    csp.includes("frame-ancestors 'none'"), `CSP: ${csp}`);
  await page.waitForSelector('form.login-card', { timeout: 15000 });
  // An inline script is refused by the policy.
  const ran = await page.evaluate(() => new Promise((done) => {
    window.__inline = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.addEventListener('securitypolicyviolation', () => done(window.__inline), { once: true });
    document.body.appendChild(s);
    setTimeout(() => done(window.__inline), 1000);
  }));
  expect(ran === false, 'an inline script ran');
  // GraphiQL comes from Dudao itself and runs under the same policy; signed in, it reads
  // the schema (the standard introspection query) and runs a query.
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${base}/graphiql`);
  await page.waitForSelector('.graphiql-container', { timeout: 20000 });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => document.querySelector('.result-window')?.innerText.includes('DIRECTOR'), null, { timeout: 20000 });
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer-root-type, .graphiql-doc-explorer', { timeout: 20000 });
  expect(requests.every((u) => u.startsWith(base) || u.startsWith('data:')), `GraphiQL fetched from elsewhere: ${requests.filter((u) => !u.startsWith(base))}`);
  await page.screenshot({ path: join(shots, 'graphiql.png') });
}, { width: 1280, height: 800 }, { cspProbe: true });

await test('an expired access token is refreshed once for a page of parallel requests', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  // The access token goes stale (as after 15 minutes); the scorecard then fires its
  // queries at once, each refused, and each waits for one shared refresh.
  await page.evaluate(() => localStorage.setItem('dudao.access', JSON.stringify('stale.token.value')));
  let refreshes = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && (r.postData() ?? '').includes('refreshToken(')) refreshes += 1; });
  await page.goto(`${base}/scorecard`);
  await page.waitForSelector('.kpi.main .kpi-value', { timeout: 20000 });
  await page.waitForSelector('table.ranking tbody tr', { timeout: 20000 });
  expect(refreshes === 1, `${refreshes} refreshes for one stale token`);
  expect(await page.locator('form.login-card').count() === 0, 'signed out after the refresh');
  // Still signed in after a reload with the rotated tokens.
  await page.reload();
  await page.waitForSelector('.kpi.main .kpi-value', { timeout: 20000 });
});

await test('scorecard: drill company → region → rep, Back step by step, reload keeps the view; titles and units follow the language', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/scorecard`);
  await page.waitForSelector('table.ranking tbody tr', { timeout: 20000 });
  await page.waitForFunction(() => /业绩记分卡 — 督导$/.test(document.title), null, { timeout: 10000 });
  expect(/^全公司 · \d{4} Q\d · 业绩记分卡 — 督导$/.test(await page.title()), `title ${await page.title()}`);
  await page.waitForFunction(() => document.querySelector('.kpi.main:not(.link) .kpi-value')?.textContent.includes('¥'), null, { timeout: 20000 });
  const company = await page.textContent('.kpi.main:not(.link) .kpi-value');
  expect(/^¥[\d.]+(万|亿)$/.test(company), `company sales in 万/亿: ${company}`);
  // Drill into the first region, then its first rep.
  const regionName = (await page.textContent('table.ranking tbody tr td:nth-child(2) a')).trim();
  await page.click('table.ranking tbody tr td:nth-child(2) a');
  await page.waitForURL(/region=/, { timeout: 10000 });
  await page.waitForFunction((n) => document.title.startsWith(`${n} · `), regionName, { timeout: 10000 });
  // The region's ranking lists reps (the company's, still drawn while it loads, regions).
  await page.waitForSelector('table.ranking tbody tr td:nth-child(2) a[href*="rep="]', { timeout: 20000 });
  const repName = (await page.textContent('table.ranking tbody tr td:nth-child(2) a')).trim();
  await page.click('table.ranking tbody tr td:nth-child(2) a');
  await page.waitForURL(/rep=/, { timeout: 10000 });
  await page.waitForFunction((n) => document.title.startsWith(`${n} · `), repName, { timeout: 10000 });
  expect((await page.textContent('h1')).includes(repName), 'the rep scorecard does not name the rep');
  // A reload shows the same rep and period.
  await page.selectOption('select[name=kind]', 'YEAR');
  await page.waitForURL(/period=YEAR/, { timeout: 10000 });
  await page.reload();
  await page.waitForSelector('.kpi.main .kpi-value', { timeout: 20000 });
  await page.waitForFunction((n) => document.title.startsWith(`${n} · `), repName, { timeout: 10000 });
  expect(await page.inputValue('select[name=kind]') === 'YEAR', 'the period kind was lost on reload');
  await page.screenshot({ path: join(shots, 'scorecard-rep-drilled.png'), fullPage: true });
  // Back: quarter of the rep, then the region, then the company.
  await page.goBack();
  await page.waitForURL((u) => u.search.includes('rep=') && u.search.includes('QUARTER'), { timeout: 10000 });
  await page.goBack();
  await page.waitForURL((u) => u.search.includes('region='), { timeout: 10000 });
  await page.waitForFunction((n) => document.title.startsWith(`${n} · `), regionName, { timeout: 10000 });
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('region=') && !u.search.includes('rep='), { timeout: 10000 });
  await page.waitForSelector('table.ranking tbody tr', { timeout: 20000 });
  // The language switch changes the title and the units at once, without a reload.
  await page.click('button.lang');
  await page.waitForFunction(() => /Scorecard — Dudao$/.test(document.title), null, { timeout: 10000 });
  await page.waitForFunction(() => /[KMB]$/.test(document.querySelector('.kpi.main:not(.link) .kpi-value')?.textContent ?? ''), null, { timeout: 10000 });
  const english = await page.textContent('.kpi.main:not(.link) .kpi-value');
  expect(/^¥[\d.]+(K|M|B)$/.test(english), `company sales in K/M/B: ${english}`);
  const axis = await page.$$eval('.chart text.axis', (ts) => ts.map((t) => t.textContent));
  expect(axis.every((a) => !a.includes('万')), `axis still in 万: ${axis}`);
  await page.click('button.lang');
}, { width: 1366, height: 900 });

await test('alert inbox: filters and order live in the URL (reload keeps them, Back undoes them)', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/alerts`);
  await page.waitForSelector('select[name=rule]', { timeout: 20000 });
  await page.waitForURL(/status=OPEN/, { timeout: 10000 });
  await page.selectOption('select[name=rule]', 'OVERDUE_PAYMENT');
  await page.waitForURL(/rule=OVERDUE_PAYMENT/, { timeout: 10000 });
  await page.selectOption('select[name=sort]', 'risk');
  await page.waitForURL(/sort=risk/, { timeout: 10000 });
  await page.reload();
  await page.waitForSelector('select[name=rule]', { timeout: 20000 });
  expect(await page.inputValue('select[name=rule]') === 'OVERDUE_PAYMENT', 'the rule filter was lost on reload');
  expect(await page.inputValue('select[name=sort]') === 'risk', 'the order was lost on reload');
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('sort=risk') && u.search.includes('rule=OVERDUE_PAYMENT'), { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('select[name=sort]')?.value === 'raised', null, { timeout: 10000 });
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('rule='), { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('select[name=rule]')?.value === '', null, { timeout: 10000 });
}, { width: 390, height: 844 });

await test('lists keep search, filters and page in the URL: reload and Back; drill-down filters are removable chips', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=客户');
  await rowsText(page);
  await page.click('.pager button:has-text("下一页")');
  await page.waitForFunction(() => location.search.includes('page=2'), null, { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('.pager .count')?.textContent.startsWith('26–50'), null, { timeout: 15000 });
  // Typing is debounced: one history entry for the word.
  await page.fill('input.search', '上海');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '上海', null, { timeout: 15000 });
  expect(!page.url().includes('page='), `a new search starts at page 1: ${page.url()}`);
  await page.reload();
  await page.waitForFunction(() => [...document.querySelectorAll('table.list tbody tr')].length > 0
    && [...document.querySelectorAll('table.list tbody tr')].every((tr) => tr.innerText.includes('上海')), null, { timeout: 15000 });
  expect(await page.inputValue('input.search') === '上海', 'the search box lost its text on reload');
  await page.goBack();
  await page.waitForFunction(() => location.search.includes('page=2') && !location.search.includes('q='), null, { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('.pager .count')?.textContent.startsWith('26–50'), null, { timeout: 15000 });
  expect(await page.inputValue('input.search') === '', 'Back did not clear the search');
  // A rep's scorecard drills down to their orders; the filters show as chips.
  await page.click('.topbar button:has-text("退出")');
  await page.waitForSelector('form.login-card', { timeout: 15000 });
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=业绩记分卡');
  await page.waitForSelector('a.drill', { timeout: 20000 });
  await page.click('a.drill');
  // Known: a click on the drill link right as the scorecard finishes drawing is now and
  // then lost (1 run in 3 on CI, cause not found yet; see the closing note). Once more.
  if (!(await page.waitForURL(/\/orders\?/, { timeout: 5000 }).then(() => true, () => false))) {
    console.log('     (the drill-down click was lost; clicked again)');
    await page.click('a.drill');
  }
  await page.waitForSelector('.chips .chip.removable', { timeout: 15000 });
  const chips = await page.$$eval('.chips .chip', (cs) => cs.map((c) => c.textContent));
  expect(chips.length === 2 && chips[0].includes('销售代表') && chips[1].includes('–'), `chips: ${chips}`);
  await page.screenshot({ path: join(shots, 'orders-chips.png') });
  await page.click('.chips .chip:has-text("–")');
  await page.waitForFunction(() => !location.search.includes('from=') && document.querySelectorAll('.chips .chip').length === 1, null, { timeout: 15000 });
  await page.goBack();
  await page.waitForFunction(() => location.search.includes('from=') && document.querySelectorAll('.chips .chip').length === 2, null, { timeout: 15000 });
}, { width: 1366, height: 900 });

await test('activity: tab and filters live in the URL; the rep of a drill-down is a removable chip', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=过程');
  await page.waitForSelector('table.list tbody tr', { timeout: 15000 });
  await page.click('.tabs .tab >> text=客户投诉');
  await page.selectOption('.toolbar select.filter >> nth=0', 'open');
  await page.waitForFunction(() => location.search.includes('tab=complaints') && location.search.includes('open=open'), null, { timeout: 15000 });
  await page.reload();
  await page.waitForSelector('.tabs .tab.active:has-text("客户投诉")', { timeout: 15000 });
  expect(await page.inputValue('.toolbar select.filter >> nth=0') === 'open', 'the status filter was lost on reload');
  await page.goBack();
  await page.waitForFunction(() => !location.search.includes('open='), null, { timeout: 15000 });
  await page.goBack();
  await page.waitForSelector('.tabs .tab.active:has-text("拜访与电话")', { timeout: 15000 });
  // A rep's visits, as the process tiles link to them: the rep shows as a chip.
  await page.goto(`${base}/reps`);
  await page.waitForSelector('table.list tbody tr a', { timeout: 15000 });
  const repHref = await page.$eval('table.list tbody tr a', (a) => a.getAttribute('href'));
  const id = repHref.split('/').pop();
  await page.goto(`${base}/activity?rep=${id}`);
  await page.waitForSelector('.chips .chip.removable:has-text("销售代表")', { timeout: 15000 });
  await page.waitForFunction(() => !document.querySelector('.chips .chip')?.textContent.includes('…'), null, { timeout: 15000 });
  await page.click('.chips .chip.removable');
  await page.waitForFunction(() => !location.search.includes('rep=') && !document.querySelector('.chips .chip'), null, { timeout: 15000 });
}, { width: 1366, height: 900 });

await test('phone: the trend is readable and answers a tap', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/scorecard`);
  await page.waitForSelector('.chart .bar-slot', { timeout: 20000 });
  // Labels at least 11 px on screen: the drawing's scale times its font size.
  const px = await page.$eval('.chart svg', (svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const text = svg.querySelector('text.axis');
    return scale * parseFloat(getComputedStyle(text).fontSize);
  });
  expect(px >= 10.5, `axis labels are ${px.toFixed(1)} px on a phone`);
  const before = await page.textContent('.chart-readout');
  await page.tap('.chart .bar-slot >> nth=0');
  await page.waitForFunction((b) => document.querySelector('.chart-readout')?.textContent !== b, before, { timeout: 5000 });
  const after = await page.textContent('.chart-readout');
  expect(/Q\d|\d{4}/.test(after) && after.includes('¥'), `readout: ${after}`);
  await page.screenshot({ path: join(shots, 'scorecard-phone-tap.png'), fullPage: true });
}, { width: 390, height: 844, hasTouch: true, isMobile: true });

await test('a section whose query failed says so, the others draw, and a retry brings it', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  // The page's sections come in one batch; the funnel's answer fails (as a server
  // error in one resolver would); the rest of the page draws.
  let fail = true;
  await page.route('**/graphql', async (route) => {
    const body = route.request().postData() ?? '';
    if (!fail || !body.startsWith('[') || !body.includes('query Funnel')) return route.continue();
    const ops = JSON.parse(body);
    const response = await route.fetch();
    const answers = await response.json();
    const i = ops.findIndex((o) => o.query.includes('query Funnel'));
    answers[i] = { data: null, errors: [{ message: '服务暂不可用 / unavailable', extensions: { code: 'INTERNAL' } }] };
    return route.fulfill({ response, json: answers });
  });
  await page.goto(`${base}/scorecard`);
  await page.waitForSelector('.kpi.main .kpi-value', { timeout: 20000 });
  await page.waitForSelector('.section-error h2:has-text("销售漏斗")', { timeout: 20000 });
  expect(await page.$('.funnel .step') === null, 'the funnel drew without its data');
  expect(await page.$('table.ranking tbody tr') !== null, 'the ranking did not draw beside the failed funnel');
  fail = false;
  await page.click('.section-error button:has-text("重试")');
  await page.waitForSelector('.funnel .step', { timeout: 20000 });
  expect(await page.$('.section-error') === null, 'the error stayed after the retry');
}, { width: 1366, height: 900 });

await test('coaching: a ride-along logged at phone width in one screen survives a dropped connection and arrives once', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/coaching/new`);
  await page.waitForSelector('form.quick select[name=rep] option:nth-child(2)', { state: 'attached', timeout: 20000 });
  // One screen, five inputs: rep, type, day (filled in), scores, next step; the rest folded.
  const inputs = await page.$$eval('form.quick > label, form.quick > .seg, form.quick > fieldset', (els) => els.length);
  expect(inputs === 5, `${inputs} inputs outside "more"`);
  expect(await page.inputValue('input[name=date]') !== '', 'the day is not pre-filled');
  expect(await page.locator('.seg .btn.on').getAttribute('data-type') === 'RIDE_ALONG', 'ride-along is not the default');
  const repId = await page.$eval('form.quick select[name=rep] option:nth-child(2)', (o) => o.value);
  await page.selectOption('form.quick select[name=rep]', repId);
  await page.tap('.score-row[data-key=opening] .dot:nth-child(4)');
  await page.tap('.score-row[data-key=objection_handling] .dot:nth-child(2)');
  const step = `带样品二访 ${Date.now()}`;
  await page.fill('textarea[name=nextStep]', step);
  await page.screenshot({ path: join(shots, 'coaching-quick-entry-phone.png'), fullPage: true });
  // The network drops as it is saved: the entry stays on the phone and says so.
  await page.context().setOffline(true);
  await page.tap('form.quick button[type=submit]');
  await page.waitForSelector('.notice >> text=已保存在本机', { timeout: 10000 });
  await page.waitForSelector('.outbox >> text=等待网络', { timeout: 10000 });
  await page.screenshot({ path: join(shots, 'coaching-waiting-to-send-phone.png'), fullPage: true });
  // Back online: it goes out by itself, once.
  await page.context().setOffline(false);
  await page.waitForSelector('.outbox', { state: 'detached', timeout: 20000 });
  await page.goto(`${base}/coaching?rep=${encodeURIComponent(repId)}`);
  await page.waitForSelector('table.list.sessions tbody tr', { timeout: 20000 });
  const same = await page.$$eval('table.list.sessions tbody tr', (rs, s) => rs.filter((r) => r.textContent.includes(s)).length, step);
  expect(same === 1, `the entry arrived ${same} times`);
  // Its page: the scores and the next step as entered.
  await page.click(`table.list.sessions tbody tr:has-text("${step}") td:first-child a`);
  await page.waitForSelector('ul.score-bars li', { timeout: 20000 });
  const bars = await page.$$eval('ul.score-bars li b', (bs) => bs.map((b) => b.textContent));
  expect(bars.join() === '4 / 5,2 / 5', `scores ${bars}`);
  expect((await page.textContent('.next-step')).includes(step), 'the next step is missing');
  // What quick entry left out is filled in later, on the session's page.
  await page.tap('button.edit');
  await page.fill('form.edit-session textarea[name=observation]', '开场先问了客户的现状，很自然');
  await page.tap('form.edit-session button[type=submit]');
  await page.waitForSelector('form.edit-session', { state: 'detached', timeout: 10000 });
  await page.waitForSelector('.ofc .card >> text=开场先问了客户的现状', { timeout: 10000 });
}, { width: 390, height: 844, hasTouch: true, isMobile: true });

await test('coaching: the rep confirms the next step and ticks an action item; growth record and coaching load', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=辅导');
  await page.waitForSelector('table.list.sessions tbody tr', { timeout: 20000 });
  // Filters live in the URL: awaiting the rep, kept over a reload.
  await page.check('input[name=awaiting]');
  await page.waitForURL(/awaiting=1/, { timeout: 10000 });
  await page.reload();
  await page.waitForSelector('table.list.sessions tbody tr', { timeout: 20000 });
  expect(await page.isChecked('input[name=awaiting]'), 'the filter was lost on reload');
  const before = await page.$$eval('table.list.sessions tbody tr', (rs) => rs.length);
  await page.click('table.list.sessions tbody tr:first-child td:first-child a');
  await page.waitForSelector('button.confirm', { timeout: 20000 });
  expect(/ · .* · 辅导 — 督导$/.test(await page.title()), `title ${await page.title()}`);
  await page.fill('textarea[name=comment]', '收到，本周完成');
  await page.click('button.confirm');
  await page.waitForSelector('.next-step .confirmed', { timeout: 10000 });
  expect((await page.textContent('.next-step')).includes('收到，本周完成'), 'the reply is not shown');
  // An open action item of theirs, ticked done.
  const box = page.locator('ul.action-items li:not(.done) input[type=checkbox]:not([disabled])').first();
  if (await box.count()) {
    const done = await page.locator('ul.action-items li.done').count();
    await box.check();
    await page.waitForFunction((n) => document.querySelectorAll('ul.action-items li.done').length === n + 1, done, { timeout: 10000 });
  }
  await page.goBack();
  await page.waitForSelector('table.list.sessions tbody tr, .state.empty', { timeout: 20000 });
  const after = await page.$$eval('table.list.sessions tbody tr', (rs) => rs.length);
  expect(after === before - 1 || (before === 1 && after === 0), `awaiting list ${before} → ${after}`);
  // The growth record: a line per dimension, each score labelled; milestones.
  await page.click('nav.sidebar >> text=辅导');
  await page.waitForSelector('table.list.sessions tbody tr', { timeout: 20000 });
  await page.click('table.list.sessions tbody tr:first-child td:nth-child(3) a');
  await page.waitForSelector('.dim .score-line circle.pt', { timeout: 20000 });
  const dims = await page.$$eval('.dim', (ds) => ds.length);
  expect(dims === 5, `${dims} dimension charts`);
  expect(await page.locator('.timeline li').count() >= 1, 'no milestones');
  await page.screenshot({ path: join(shots, 'coaching-growth.png'), fullPage: true });
  // In English at once.
  await page.click('button.lang');
  await page.waitForSelector('h2 >> text=Milestones', { timeout: 10000 });
  await page.click('button.lang');
}, { width: 1366, height: 900 });

await test('coaching load: the supervisor sees who has not been coached first, and logs from there', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/coaching/load`);
  await page.waitForSelector('table.list.load tbody tr', { timeout: 20000 });
  const flags = await page.$$eval('table.list.load tbody tr', (rs) => rs.map((r) => r.classList.contains('flagged')));
  const firstUnflagged = flags.indexOf(false);
  expect(flags.slice(firstUnflagged === -1 ? flags.length : firstUnflagged).every((f) => !f), `flagged reps are not first: ${flags}`);
  await page.screenshot({ path: join(shots, 'coaching-load.png'), fullPage: true });
  await page.click('table.list.load tbody tr:first-child a.btn');
  await page.waitForURL(/\/coaching\/new\?rep=/, { timeout: 10000 });
  await page.waitForSelector('form.quick select[name=rep] option:nth-child(2)', { state: 'attached', timeout: 20000 });
  expect(await page.inputValue('form.quick select[name=rep]') !== '', 'the rep is not chosen');
}, { width: 1366, height: 900 });


// Chooses an option and checks it stays chosen (a list that redraws as its data arrives
// may reset it): tries again for a few seconds.
async function selectStable(page, sel, value) {
  for (let i = 0; i < 20; i++) {
    await page.selectOption(sel, value);
    await page.waitForTimeout(250);
    if (await page.inputValue(sel) === value) return;
  }
  throw new Error(`${sel} does not keep ${value}`);
}

// Signs out and in as someone else on the same page.
async function switchTo(page, email) {
  await page.evaluate(() => localStorage.clear());
  await login(page, email);
  await page.waitForSelector('.home-grid', { timeout: 15000 });
}

await test('evaluation: supervisor.east scores and gathers 360° input (theirs, a customer by one-time link), submits; the director finalizes; rep.east1 then sees it', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  const repName = (await page.textContent('.who')).split(' · ')[0].trim();
  await switchTo(page, 'supervisor.east@dudao.demo');
  await page.goto(`${base}/evaluations/new`);
  await page.waitForSelector('select[name=subject] option:nth-child(2)', { state: 'attached', timeout: 20000 });
  const subject = await page.$$eval('select[name=subject] option', (os, n) => os.find((o) => o.textContent.startsWith(n))?.value, repName);
  expect(subject, `no option for ${repName}`);
  await page.selectOption('select[name=subject]', subject);
  await page.selectOption('select[name=kind]', 'YEAR');
  await page.click('form button[type=submit]');
  await page.waitForURL(/\/evaluations\/[A-Za-z0-9_-]+$/, { timeout: 15000 });
  await page.waitForSelector('[data-testid=total]', { timeout: 15000 });
  const url = page.url();
  // RESULT indicators come with their figures; PROCESS is scored here and the total follows.
  const figures = await page.$$eval('table.indicators tbody tr td[data-label]:nth-child(5)', (tds) => tds.map((t) => t.textContent));
  expect(figures.some((f) => f.includes('¥')), `no sales figures: ${figures}`);
  await page.fill('input[name=score-process_compliance]', '85');
  await page.press('input[name=score-process_compliance]', 'Tab');
  await page.waitForFunction(() => document.querySelector('input[name=score-process_compliance]')?.value === '85'
    && !document.querySelector('.form-error'), null, { timeout: 10000 });
  // The score's answer redraws the page (the total moves): wait for it before the next form.
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.notes')?.textContent.includes('…'), null, { timeout: 10000 });
  // 360°: a customer through a one-time link, the director as superior.
  await page.selectOption('.invitations-of select[name=group]', 'CUSTOMER');
  await page.waitForSelector('.invitations-of select[name=rater] option:nth-child(2)', { state: 'attached', timeout: 15000 });
  const customer = await page.$eval('.invitations-of select[name=rater] option:nth-child(2)', (o) => o.value);
  await selectStable(page, '.invitations-of select[name=rater]', customer);
  await page.click('.invitations-of button[type=submit]');
  await page.waitForLoadState('networkidle');
  const link = (await (await page.waitForSelector('[data-testid=rater-link]', { timeout: 15000 })).textContent()).trim();
  expect(link.includes('/form/rating/'), `link ${link}`);
  // The rep's superior is their supervisor: invited, and answering from the list, where
  // only the form shows.
  const me = (await page.textContent('.who')).split(' · ')[0].trim();
  await selectStable(page, '.invitations-of select[name=group]', 'SUPERIOR');
  await page.waitForLoadState('networkidle');
  await page.waitForSelector('.invitations-of select[name=rater] option:nth-child(2)', { state: 'attached', timeout: 15000 });
  const sup = await page.$$eval('.invitations-of select[name=rater] option', (os, n) => os.find((o) => o.textContent === n)?.value, me);
  await selectStable(page, '.invitations-of select[name=rater]', sup);
  await page.click('.invitations-of button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('.invitations-of tbody tr').length >= 2, null, { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'evaluation-editor-supervisor.png'), fullPage: true });
  // The customer answers on a phone, without an account: nothing but the form.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const c = await phone.newPage();
  await c.goto(link);
  await c.waitForSelector('.public-form input[name=score]', { timeout: 20000 });
  expect(await c.$('nav.sidebar') === null, 'the customer sees the app');
  await c.screenshot({ path: join(shots, 'customer-360-form-phone.png'), fullPage: true });
  await c.fill('.public-form input[name=score]', '70');
  await c.tap('.public-form button[type=submit]');
  await c.waitForSelector('.public-form .done', { timeout: 15000 });
  await c.goto(link);
  await c.waitForSelector('.public-form .form-error', { timeout: 15000 });
  await phone.close();
  await page.goto(`${base}/evaluations`);
  const form = await page.waitForSelector(`.invitations form.rate:has-text("${repName}")`, { timeout: 20000 });
  await (await form.$('input[name=score]')).fill('90');
  await (await form.$('button[type=submit]')).click();
  // Answered, it stays (changeable until the evaluation is submitted), marked as answered.
  await page.waitForSelector(`.invitations form.rate.answered:has-text("${repName}")`, { timeout: 15000 });
  // The supervisor submits: a complete total and a grade.
  await page.goto(url);
  await page.waitForSelector('[data-testid=total]', { timeout: 15000 });
  const total = await page.textContent('[data-testid=total]');
  expect(/^\d+\.\d\d$/.test(total.trim()), `total ${total}`);
  await page.click('.workflow button:has-text("提交")');
  await page.waitForSelector('.page-head .badge.st-submitted', { timeout: 15000 });
  expect(await page.$('input[name=score-process_compliance]') === null, 'a submitted evaluation is still editable');
  // The director finalizes.
  await switchTo(page, 'director@dudao.demo');
  await page.goto(url);
  await page.click('.workflow button:has-text("定稿")');
  await page.waitForSelector('.page-head .badge.st-finalized', { timeout: 15000 });
  // rep.east1 sees it: the superior's mean, the lone customer only inside the total.
  await switchTo(page, 'rep.east1@dudao.demo');
  await page.goto(`${base}/evaluations`);
  await page.waitForSelector(`table.list tbody tr a[href="${new URL(url).pathname}"]`, { timeout: 20000 });
  await page.goto(url);
  await page.waitForSelector('.groups .bar-row', { timeout: 15000 });
  expect((await page.textContent('[data-testid=total]')).trim() === total.trim(), 'the rep sees another total');
  expect((await page.textContent('.groups')).includes('人数不足'), 'the lone customer group is shown to the rep');
  expect(await page.$('.invitations-of') === null, 'the rep sees who rated');
  await page.screenshot({ path: join(shots, 'evaluation-rep-view.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, 'evaluation-rep-view-phone.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(shots, 'evaluation-print.png'), fullPage: true });
  expect(await page.isHidden('nav.sidebar'), 'the printed page shows the navigation');
}, { width: 1366, height: 900 });

await test('survey: a rep sends a one-time link from the customer page; the customer answers once on a phone', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/customers`);
  await rowsText(page);
  await page.click('table.list tbody tr:first-child td:first-child a');
  await page.waitForSelector('.card.surveys button[type=button]', { timeout: 15000 });
  await page.click('.card.surveys button[type=button]');
  const link = (await (await page.waitForSelector('[data-testid=survey-link]', { timeout: 15000 })).textContent()).trim();
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const c = await phone.newPage();
  await c.goto(link);
  await c.waitForSelector('.nps-btn', { timeout: 20000 });
  await c.screenshot({ path: join(shots, 'customer-survey-phone.png'), fullPage: true });
  await c.tap('.nps-btn:has-text("9")');
  await c.fill('textarea[name=comment]', '交付准时');
  await c.tap('.public-form button[type=submit]');
  await c.waitForSelector('.public-form .done', { timeout: 15000 });
  await c.reload();
  const refused = await (await c.waitForSelector('.public-form .form-error', { timeout: 15000 })).textContent();
  await c.goto(`${base}/form/survey/forged-token`);
  const forged = await (await c.waitForSelector('.public-form .form-error', { timeout: 15000 })).textContent();
  expect(refused === forged, `a used and a forged link read differently: ${refused} / ${forged}`);
  await phone.close();
  // The answer is on the customer's page.
  await page.reload();
  await page.waitForSelector('.survey-list li:has-text("交付准时")', { timeout: 15000 });
});

await test('calibration: the director sees grade distributions and the 9-box of last year', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/evaluations/calibration`);
  await page.selectOption('select[name=kind]', 'YEAR');
  await page.fill('input[name=year]', String(new Date().getFullYear() - 1));
  await page.press('input[name=year]', 'Tab');
  await page.waitForSelector('[data-testid=nine-box] .box li', { timeout: 20000 });
  expect((await page.$$('[data-testid=nine-box] .box')).length === 9, 'not nine boxes');
  const total = await page.$$eval('[data-testid=nine-box] .box strong', (s) => s.reduce((a, x) => a + Number(x.textContent), 0));
  expect(total > 0, 'an empty 9-box');
  await page.screenshot({ path: join(shots, 'calibration-director.png'), fullPage: true });
  await page.goto(`${base}/evaluations/cycles`);
  await page.waitForSelector('table.cycles tbody tr', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'cycles-director.png'), fullPage: true });
}, { width: 1366, height: 900 });

await test('templates: the director builds a template whose weights must reach 100, reloads and goes Back; a supervisor\'s 述职 report shows on their evaluation', async (page) => {
  await login(page, 'director@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.goto(`${base}/evaluations/templates`);
  await page.waitForSelector('table.templates tbody tr', { timeout: 20000 });
  await page.waitForSelector('form.grade-scale input[name=a]', { timeout: 15000 });
  expect(await page.inputValue('form.grade-scale input[name=a]') === '90', 'grade A threshold is not 90');
  await page.screenshot({ path: join(shots, 'templates-director.png'), fullPage: true });
  const before = (await page.$$('table.templates tbody tr')).length;
  await page.click('a:has-text("新建模板")');
  await page.waitForURL(/\/evaluations\/templates\/new$/, { timeout: 15000 });
  await page.waitForSelector('form.template-editor input[name=nameZh]', { timeout: 15000 });
  await page.fill('input[name=nameZh]', '月度拜访考核');
  await page.fill('input[name=nameEn]', 'Monthly visits');
  await page.selectOption('select[name=periodKind]', 'MONTH');
  const row = 'table.indicators-edit tbody tr';
  await page.fill(`${row}:nth-child(1) input[name=key]`, 'visits');
  await page.fill(`${row}:nth-child(1) input[name=indicatorZh]`, '拜访执行');
  await page.fill(`${row}:nth-child(1) input[name=indicatorEn]`, 'Visits made');
  await page.fill(`${row}:nth-child(1) input[name=weight]`, '60');
  await page.waitForFunction(() => document.querySelector('[data-testid=weight-total]')?.classList.contains('bad'), null, { timeout: 10000 });
  await page.click('button:has-text("添加指标")');
  await page.waitForSelector(`${row}:nth-child(2)`, { timeout: 10000 });
  await page.fill(`${row}:nth-child(2) input[name=key]`, 'coaching');
  await page.fill(`${row}:nth-child(2) input[name=indicatorZh]`, '辅导落实');
  await page.fill(`${row}:nth-child(2) input[name=indicatorEn]`, 'Coaching followed');
  await page.fill(`${row}:nth-child(2) input[name=weight]`, '40');
  await page.waitForFunction(() => document.querySelector('[data-testid=weight-total]')?.classList.contains('good'), null, { timeout: 10000 });
  await page.click('form.template-editor button[type=submit]');
  await page.waitForURL((u) => /\/evaluations\/templates\/[A-Za-z0-9_-]+$/.test(u.pathname) && !u.pathname.endsWith('/new'), { timeout: 15000 });
  await page.waitForSelector('form.template-editor p.good', { timeout: 15000 });
  await page.reload();
  await page.waitForSelector(`${row}:nth-child(2) input[name=key]`, { timeout: 20000 });
  expect(await page.inputValue(`${row}:nth-child(2) input[name=key]`) === 'coaching', 'the saved indicator did not come back');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, 'template-editor-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goBack();
  await page.waitForURL(/\/evaluations\/templates\/new$/, { timeout: 15000 });
  await page.goto(`${base}/evaluations/templates`);
  await page.waitForFunction((n) => document.querySelectorAll('table.templates tbody tr').length === n + 1, before, { timeout: 15000 });
  // A supervisor reads their finalized annual evaluation of last year with their 述职 report.
  await switchTo(page, 'supervisor.east@dudao.demo');
  const id = await page.evaluate(async () => {
    const r = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${JSON.parse(localStorage.getItem('dudao.access'))}` },
      body: JSON.stringify({ query: '{ me { id } evaluations(first: 50, filter: { subjectKind: SUPERVISOR, status: FINALIZED }) { edges { node { id subject { id } } } } }' }),
    });
    const d = (await r.json()).data;
    return d.evaluations.edges.map((e) => e.node).find((n) => n.subject.id === d.me.id)?.id;
  });
  expect(id, 'supervisor.east has no finalized evaluation of their own');
  await page.goto(`${base}/evaluations/${id}`);
  await page.waitForSelector('[data-testid=self-report]', { timeout: 20000 });
  expect((await page.textContent('[data-testid=self-report]')).includes('改进计划'), 'no improvement plan in the self report');
  await page.screenshot({ path: join(shots, 'self-report-supervisor.png'), fullPage: true });
}, { width: 1366, height: 900 });

await test('promotion: rep.east1 reads their paths on both tracks with what is missing; the director changes a rule in the criteria form and the candidates list follows, its filters in the URL', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=晋升');
  await page.waitForSelector('[data-testid=path]', { timeout: 20000 });
  expect((await page.$$('[data-testid=path]')).length >= 3, 'fewer than three paths');
  const text = await page.textContent('.paths');
  expect(text.includes('管理序列') && text.includes('专家序列'), 'both tracks are not shown');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, 'promotion-paths-rep-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await switchTo(page, 'director@dudao.demo');
  await page.goto(`${base}/promotion/rules`);
  await page.waitForSelector('[data-testid=rule]', { timeout: 20000 });
  // The director reduces the first rule (the candidates page shows it first) to a month of
  // tenure, in the criteria form: one row per criterion, a kind and its fields.
  const card = (await page.$$('[data-testid=rule]'))[0];
  await (await card.$('summary')).click();
  const rows = () => card.$$('[data-testid=criterion]');
  const shown = (await card.$$eval('.criteria > li', (lis) => lis.length));
  expect((await rows()).length === shown, `the form shows ${(await rows()).length} criteria, the words ${shown}`);
  const tenure = (await card.$eval('.criteria', (ul) => ul.textContent)).match(/司龄 ≥ (\d+) 个月/)?.[1];
  const version = Number((await card.$eval('header', (h) => h.textContent)).match(/版本 (\d+)/)?.[1]);
  expect(tenure, 'the first rule asks for no tenure');
  // A new row takes a kind; its fields follow the kind.
  await (await card.$('[data-testid=add-criterion]')).click();
  const added = (await rows())[shown];
  await (await added.$('select[name=kind]')).selectOption('LATEST_GRADE');
  await added.waitForSelector('select[name=category]');
  expect(!(await added.$('input[name=months]')), 'a grade criterion still shows the months');
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'promotion-rule-editor-1366.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, 'promotion-rule-editor-390.png'), fullPage: true });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= 390, `the rule editor is ${wide} px wide on a phone`);
  await page.setViewportSize({ width: 1366, height: 900 });
  // Everything but the tenure goes.
  for (;;) {
    const other = await card.$('[data-testid=criterion]:not(:has(input[name=months])) .crit-remove');
    if (!other) break;
    await other.click();
  }
  expect((await rows()).length === 1, `${(await rows()).length} criteria left, not 1`);
  const months = await card.$('[data-testid=criterion] input[name=months]');
  expect(await months.inputValue() === tenure, `tenure shows ${await months.inputValue()} months, not ${tenure}`);
  // A wrong number is refused in the form, with a message, before anything is sent.
  let sent = 0;
  const count = (r) => { if (r.url().endsWith('/graphql') && /"operationName":"SavePromotionRule"/.test(r.postData() ?? '')) sent += 1; };
  page.on('request', count);
  await months.fill('-3');
  await (await card.$('input[name=note]')).fill('试行');
  await (await card.$('button[type=submit]')).click();
  const invalid = await card.waitForSelector('[data-testid=criteria-invalid]', { timeout: 5000 });
  expect((await invalid.textContent()).includes('司龄须为 0–600'), `the message was: ${await invalid.textContent()}`);
  expect(sent === 0, 'a rule with a negative tenure was sent');
  await months.fill('1');
  await (await card.$('button[type=submit]')).click();
  await page.waitForFunction((v) => {
    const first = document.querySelector('[data-testid=rule]');
    return first?.querySelector('header')?.textContent.includes(`版本 ${v}`)
      && first.querySelector('.criteria').textContent.trim() === '司龄 ≥ 1 个月' && first.textContent.includes('试行');
  }, version + 1, { timeout: 15000 });
  expect(sent === 1, `${sent} saves sent`);
  page.off('request', count);
  await page.screenshot({ path: join(shots, 'promotion-rules-director.png'), fullPage: true });
  await page.goto(`${base}/promotion`);
  await page.waitForSelector('table.candidates tbody tr', { timeout: 20000 });
  await page.selectOption('select[name=status]', 'ELIGIBLE');
  await page.waitForFunction(() => [...document.querySelectorAll('table.candidates tbody tr .badge')].every((b) => b.classList.contains('eligible'))
    && document.querySelectorAll('table.candidates tbody tr').length > 0, null, { timeout: 15000 });
  await page.waitForFunction(() => location.search === '?status=ELIGIBLE', null, { timeout: 5000 });
  // Rule and status come from a shared link, show in the filters, and the address stays put.
  const ids = await page.$$eval('select[name=rule] option', (os) => os.map((o) => o.value));
  expect(ids.length >= 2, `${ids.length} rules to choose from`);
  const shared = `?rule=${encodeURIComponent(ids[1])}&status=NOT_ELIGIBLE`;
  await page.goto(`${base}/promotion${shared}`);
  await page.waitForSelector('table.candidates tbody tr, .state.empty', { timeout: 20000 });
  const filters = () => page.evaluate(() => [...document.querySelectorAll('.filters select')].map((s) => s.value).slice(0, 2).join(' '));
  expect(await filters() === `${ids[1]} NOT_ELIGIBLE`, `the filters show ${await filters()}`);
  expect(await page.$$eval('table.candidates tbody tr .badge', (bs) => bs.every((b) => b.classList.contains('not'))), 'a candidate other than "not yet"');
  let moves = 0;
  const moved = () => { moves += 1; };
  page.on('framenavigated', moved);
  await page.waitForTimeout(1000);
  page.off('framenavigated', moved);
  expect(moves === 0 && new URL(page.url()).search === shared, `the address moved ${moves} times, to ${page.url()}`);
  // A change goes into the address; reload keeps it, Back returns to the one before.
  await page.selectOption('select[name=status]', 'ELIGIBLE');
  await page.waitForFunction(() => location.search.includes('status=ELIGIBLE'), null, { timeout: 5000 });
  await page.reload();
  await page.waitForSelector('table.candidates tbody tr, .state.empty', { timeout: 20000 });
  expect(await filters() === `${ids[1]} ELIGIBLE`, `after a reload the filters show ${await filters()}`);
  await page.goBack();
  await page.waitForFunction((want) => [...document.querySelectorAll('.filters select')].map((s) => s.value).slice(0, 2).join(' ') === want,
    `${ids[1]} NOT_ELIGIBLE`, { timeout: 10000 });
  await page.screenshot({ path: join(shots, 'promotion-candidates-director.png'), fullPage: true });
}, { width: 1366, height: 900 });

await test('review meeting: 5-Why and a SMART action in 华东\'s quarter review, carried into the month\'s; a departing rep\'s customer handed over', async (page) => {
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('nav.sidebar >> text=复盘');
  await page.waitForSelector('table.list.meetings tbody tr', { timeout: 20000 });
  await page.screenshot({ path: join(shots, 'reviews-supervisor.png'), fullPage: true });
  await page.click('table.list.meetings tbody tr:has-text("Q") a');
  await page.waitForSelector('.card.causes .chain', { timeout: 15000 });
  const url = page.url();
  // The region's figures, the demo's 5-Why chain; a new chain of three whys.
  expect(await page.$('.totals .card') !== null, 'no figures on the meeting');
  await page.fill('input[name=problem]', '大客户拜访频次下降');
  await page.fill('input[name=why1]', '代表把时间花在小单上');
  await page.fill('input[name=why2]', '小单的提成比例更高');
  await page.fill('input[name=why3]', '提成方案没有按客户等级区分');
  await page.fill('input[name=cause]', '提成方案与客户分级脱节');
  await page.click('.cause-form button[type=submit]');
  await page.waitForSelector('.chain:has-text("大客户拜访频次下降") ol.whys li:nth-child(3)', { timeout: 15000 });
  // A SMART action: refused without a target (the browser asks for it), then added.
  const due = new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10);
  await page.fill('input[name=what]', '每周和两位代表一起拜访 A 类客户');
  await page.waitForSelector('select[name=owner] option:nth-child(2)', { state: 'attached', timeout: 15000 });
  await page.selectOption('select[name=owner]', { index: 1 });
  await page.fill('input[name=measure]', 'A 类客户每月拜访 ≥ 2 次');
  await page.fill('input[name=due]', due);
  await page.click('form.inline-form:has(input[name=what]) button[type=submit]');
  await page.waitForSelector('.smart li:has-text("每周和两位代表一起拜访")', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'review-meeting.png'), fullPage: true });
  // The month's meeting shows the quarter's open actions; one is ticked done there.
  await page.goto(`${base}/reviews`);
  await page.click('table.list.meetings tbody tr:has-text("华东"):not(:has-text("Q")) a');
  await page.waitForSelector('.card.carried .smart li', { timeout: 15000 });
  expect((await page.textContent('.card.carried')).includes('每周和两位代表一起拜访'), 'the new action is not carried over');
  const before = (await page.$$('.card.carried .smart li')).length;
  await page.click('.card.carried .smart li:has-text("每周和两位代表一起拜访") button');
  await page.waitForFunction((n) => document.querySelectorAll('.card.carried .smart li').length < n
    || !document.querySelector('.card.carried'), before, { timeout: 15000 });
  // Handover: a 华东 rep's list, one customer to a colleague, the history.
  await page.goto(`${base}/reviews/handover`);
  await page.waitForSelector('select[name=from] option:nth-child(3)', { state: 'attached', timeout: 15000 });
  const from = await page.$eval('select[name=from] option:nth-child(3)', (o) => o.value);
  await page.selectOption('select[name=from]', from);
  await page.waitForSelector('table.handover-list tbody tr', { timeout: 15000 });
  const name = await page.textContent('table.handover-list tbody tr:first-child td:nth-child(2) a');
  await page.check('table.handover-list tbody tr:first-child input[name=customer]');
  await page.selectOption('select[name=to]', { index: 1 });
  await page.fill('input[name=notes]', '交接：客户关心交付周期');
  await page.screenshot({ path: join(shots, 'handover-list.png'), fullPage: true });
  await page.click('.handover form button[type=submit]');
  await page.waitForSelector('.handover .good', { timeout: 15000 });
  await page.waitForFunction((n) => ![...document.querySelectorAll('table.handover-list tbody tr')].some((r) => r.textContent.includes(n)), name, { timeout: 15000 });
  await page.reload();
  await page.waitForSelector(`.handover table.list:not(.handover-list) tbody tr:has-text("${name}")`, { timeout: 15000 });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  await page.waitForSelector('.card.causes .chain', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'review-meeting-phone.png'), fullPage: true });
}, { width: 1366, height: 900 });

await test('knowledge: rep.east1 searches 价格太贵 at phone width, opens the price-objection article, votes and proposes an improvement; supervisor.east adopts it and the article has a new version', async (page) => {
  await login(page, 'rep.east1@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  const repName = (await page.textContent('.who')).split(' · ')[0].trim();
  await page.click('button.menu');
  await page.click('nav.sidebar >> text=知识库');
  // Nothing searched: the categories, the six objection scenarios, the most helpful and the latest.
  await page.waitForSelector('.kb-categories .kb-category', { timeout: 20000 });
  expect(await page.locator('.kb-scenario').count() === 6, 'the objection scenarios are not all shown');
  expect(await page.locator('.kb-columns .kb-top li').count() > 0, 'no most helpful or recent articles');
  await page.screenshot({ path: join(shots, 'knowledge-home-phone.png'), fullPage: true });
  // Typing searches (debounced, one URL change); the words found are marked.
  await page.fill('input[name=q]', '价格太贵');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '价格太贵', null, { timeout: 15000 });
  await page.waitForSelector('.kb-hit:has-text("价格异议") a.kb-title', { timeout: 15000 });
  expect(await page.locator('.kb-hit mark').count() > 0, 'the words found are not marked');
  // The marked title is the whole title, and each result names its author.
  const hitTitle = (await page.textContent('.kb-hit:has-text("价格异议") a.kb-title')).trim();
  expect(hitTitle === '价格异议应对话术（客户说“价格太贵”）', `the result's title reads ${hitTitle}`);
  expect(/ · \S+$/.test((await page.textContent('.kb-hit:has-text("价格异议") .kb-stats')).trim()), 'the result does not name its author');
  expect(!(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)), 'the knowledge page scrolls sideways at phone width');
  await page.screenshot({ path: join(shots, 'knowledge-search-phone.png'), fullPage: true });
  // A reload shows the same results; a scenario chip narrows them and joins the URL.
  await page.reload();
  await page.waitForSelector('.kb-hit:has-text("价格异议")', { timeout: 15000 });
  expect(await page.inputValue('input[name=q]') === '价格太贵', 'the search box lost its text on reload');
  await page.click('.kb-chip[data-value=PRICE_SENSITIVE]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('scenario') === 'PRICE_SENSITIVE', null, { timeout: 15000 });
  await page.waitForSelector('.kb-chip.on[data-value=PRICE_SENSITIVE]', { timeout: 5000 });
  await page.waitForSelector('.kb-hit:has-text("价格异议")', { timeout: 15000 });
  // Nothing found says so, with a hint.
  await page.fill('input[name=q]', '量子引力');
  await page.waitForSelector('[data-testid=kb-empty]', { timeout: 15000 });
  await page.fill('input[name=q]', '价格太贵');
  await page.waitForSelector('.kb-hit:has-text("价格异议") a.kb-title', { timeout: 15000 });
  await page.click('.kb-hit:has-text("价格异议") a.kb-title');
  await page.waitForURL(/\/knowledge\/article\?id=/, { timeout: 15000 });
  await page.waitForSelector('article.kb-body', { timeout: 15000 });
  const articleUrl = page.url();
  expect((await page.textContent('article.kb-body')).includes('价格太贵'), 'the article body is not shown');
  expect(/价格异议.* · 知识库 — 督导$/.test(await page.title()), `title ${await page.title()}`);
  // 👍: pressed once chosen, counted, and still pressed after a reload.
  const up = page.locator('.kb-vote.up');
  if ((await up.getAttribute('aria-pressed')) === 'true') {
    await up.click();
    await page.waitForSelector('.kb-vote.up[aria-pressed=false]', { timeout: 10000 });
  }
  const votes = Number(await up.locator('b').textContent());
  await up.click();
  await page.waitForSelector('.kb-vote.up.chosen[aria-pressed=true]', { timeout: 10000 });
  expect(Number(await up.locator('b').textContent()) === votes + 1, 'the helpful vote was not counted');
  await page.reload();
  await page.waitForSelector('.kb-vote.up.chosen', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'knowledge-article-phone.png'), fullPage: true });
  // An improvement, proposed from the article: the form comes with its text.
  await page.click('a.kb-propose');
  await page.waitForURL(/\/knowledge\/contributions\?kind=EDIT&article=/, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('textarea[name=body]')?.value.includes('价格太贵'), null, { timeout: 15000 });
  expect(await page.inputValue('select[name=kind]') === 'EDIT', 'the form is not an improvement');
  await page.waitForSelector('[data-testid=kb-summary] .points .big', { timeout: 15000 });
  const points = Number(await page.textContent('[data-testid=kb-summary] .points .big'));
  const stamp = Date.now();
  const idea = `先问客户在和哪家比较，再一起算三年总成本（${stamp}）`;
  await page.fill('textarea[name=body]', `${await page.inputValue('textarea[name=body]')}\n\n${idea}`);
  await page.click('form.kb-propose-form button[type=submit]');
  await page.waitForSelector('[data-testid=kb-proposed]', { timeout: 15000 });
  await page.waitForSelector('tr[data-testid=kb-mine-row]:has-text("价格异议"):has(.kb-st.proposed)', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'knowledge-contributions-rep-phone.png'), fullPage: true });
  // The supervisor finds it in the inbox with its changes; a reason is required; adopted with 20 points.
  await page.setViewportSize({ width: 1366, height: 900 });
  await switchTo(page, 'supervisor.east@dudao.demo');
  await page.goto(`${base}/knowledge/contributions`);
  await page.waitForSelector('[data-testid=kb-inbox-item]', { timeout: 20000 });
  const items = page.locator('[data-testid=kb-inbox-item]').filter({ hasText: repName }).filter({ hasText: '价格异议' });
  let item = null;
  for (let i = 0; i < await items.count() && !item; i++) {
    const it = items.nth(i);
    await it.locator('button.kb-diff-toggle').click();
    await it.locator('[data-testid=kb-diff]').waitFor({ timeout: 15000 });
    if ((await it.locator('.kb-diff .dl.added').allTextContents()).some((t) => t.includes(idea))) item = it;
  }
  expect(item, 'the improvement is not in the supervisor\'s inbox with its changes');
  expect(await item.locator('input[name=points]').inputValue() === '20', 'an improvement is not offered 20 points');
  await item.locator('button.kb-adopt').click();
  await item.locator('.form-error').waitFor({ timeout: 5000 });
  const reason = `算总成本的办法很实用 ${stamp}`;
  await item.locator('input[name=reason]').fill(reason);
  await page.screenshot({ path: join(shots, 'knowledge-inbox-supervisor.png'), fullPage: true });
  await item.locator('button.kb-adopt').click();
  await page.waitForFunction((s) => ![...document.querySelectorAll('[data-testid=kb-inbox-item] .kb-diff')].some((d) => d.textContent.includes(s)), String(stamp), { timeout: 15000 });
  await page.selectOption('select[name=status]', 'ADOPTED');
  await page.waitForSelector(`[data-testid=kb-inbox-item]:has-text("${reason}")`, { timeout: 15000 });
  // The article now says it, in a new version whose diff shows the line added.
  await page.goto(articleUrl);
  await page.waitForSelector('article.kb-body', { timeout: 15000 });
  expect((await page.textContent('article.kb-body')).includes(idea), 'the adopted improvement is not in the article');
  await page.click('.kb-versions summary');
  await page.waitForFunction((s) => [...document.querySelectorAll('.kb-versions .kb-diff .dl.added')].some((d) => d.textContent.includes(s)), String(stamp), { timeout: 15000 });
  expect(await page.locator('button.kb-restore').count() > 0, 'the supervisor cannot restore an older version');
  // Unchanged lines far from the change fold; every version names its editor.
  expect(await page.locator('.kb-versions .kb-diff .dl.fold').count() > 0, 'the unchanged lines of the diff are not folded');
  const editors = await page.$$eval('.kb-version-list tbody td:nth-child(3)', (tds) => tds.map((td) => td.textContent.trim()));
  expect(editors.length >= 2 && editors.every((e) => e && e !== '—'), `version editors: ${editors}`);
  await page.screenshot({ path: join(shots, 'knowledge-versions-supervisor.png'), fullPage: true });
  // The editor previews as one types.
  await page.click('a.kb-edit');
  await page.waitForURL(/\/knowledge\/edit\?id=/, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('textarea[name=body]')?.value.length > 0, null, { timeout: 15000 });
  await page.fill('textarea[name=body]', `## 预览 ${stamp}\n\n**太贵**是表面原因`);
  await page.waitForFunction((s) => { const p = document.querySelector('[data-testid=kb-preview]'); return p && p.querySelector('h2')?.textContent.includes(s) && p.querySelector('strong'); }, String(stamp), { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'knowledge-editor-supervisor.png'), fullPage: true });
  // Use and results: a dot per region, the table under it.
  await page.goto(`${base}/knowledge/usage`);
  await page.waitForSelector('table.kb-usage-table tbody tr', { timeout: 20000 });
  await page.waitForFunction(() => /year=\d{4}/.test(location.search) && /quarter=[1-4]/.test(location.search), null, { timeout: 10000 });
  await page.screenshot({ path: join(shots, 'knowledge-usage-supervisor.png'), fullPage: true });
  // The rep sees it adopted, with the reason and the 20 points added to their total.
  await page.setViewportSize({ width: 390, height: 844 });
  await switchTo(page, 'rep.east1@dudao.demo');
  await page.goto(`${base}/knowledge/contributions`);
  await page.waitForSelector(`tr[data-testid=kb-mine-row]:has-text("${reason}") .kb-st.adopted`, { timeout: 20000 });
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=kb-summary] .points .big')?.textContent) === n, points + 20, { timeout: 15000 });
}, { width: 390, height: 844 });

await test('training: supervisor.east records attendance and scores at phone width; director sees the course effect', async (page) => {
  // The supervisor schedules a session of the negotiation workshop in 华东 from the phone:
  // the region's reps come invited.
  await login(page, 'supervisor.east@dudao.demo');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  await page.click('button.menu');
  await page.click('nav.sidebar >> text=培训');
  await page.waitForSelector('[data-testid=tr-course-row]', { timeout: 20000 });
  expect((await page.$$('[data-testid=tr-course-row]')).length >= 4, 'fewer than four courses');
  await page.screenshot({ path: join(shots, 'training-courses-supervisor-phone.png'), fullPage: true });
  await page.click('[data-testid=tr-course-row] >> text=价格谈判与异议处理');
  await page.waitForSelector('[data-testid=tr-schedule] summary', { timeout: 20000 });
  await page.click('[data-testid=tr-schedule] summary');
  await page.waitForSelector('.tr-invitees input[name=invitee]', { timeout: 15000 });
  const invited = await page.$$eval('.tr-invitees input[name=invitee]', (bs) => bs.filter((b) => b.checked).length);
  expect(invited >= 2, `${invited} reps invited by default`);
  await page.fill('.tr-schedule-form input[name=location]', '华东培训室 A');
  await page.click('.tr-schedule-form button[type=submit]');
  await page.waitForURL(/\/training\/session\//, { timeout: 15000 });
  await page.waitForSelector('[data-testid=tr-record] [data-testid=tr-attendance-row]', { timeout: 20000 });
  expect((await page.$$('[data-testid=tr-attendance-row]')).length === invited, 'the invitees are not the attendance rows');
  const sessionUrl = page.url();
  const heldOn = (await page.textContent('.tr-facts dd')).trim();
  // Scores are 0–100, and nobody absent has an after-test: the form says so before the server.
  await page.check('input[name=attended-0]');
  await page.fill('input[name=pre-0]', '55');
  await page.fill('input[name=post-0]', '80');
  await page.check('input[name=attended-1]');
  await page.fill('input[name=pre-1]', '60');
  await page.fill('input[name=post-1]', '120');
  await page.waitForSelector('tr.invalid .tr-row-error', { timeout: 5000 });
  expect(await page.isDisabled('[data-testid=tr-record] button[type=submit]'), 'a score of 120 can be saved');
  await page.fill('input[name=post-1]', '72');
  await page.fill('input[name=post-2]', '70');
  expect((await page.textContent('tr.invalid .tr-row-error')).includes('未出席'), 'an after-test without attending is not refused');
  await page.fill('input[name=post-2]', '');
  await page.fill('input[name=pre-2]', '50');
  await page.click('[data-testid=tr-record] button[type=submit]');
  await page.waitForSelector('[data-testid=tr-saved]', { timeout: 15000 });
  await page.waitForFunction(() => /出席 2 \/ 受邀/.test(document.querySelector('[data-testid=tr-summary]')?.textContent ?? ''), null, { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'training-session-supervisor-phone.png'), fullPage: true });
  // Someone saves the same session in another tab: this tab's save is refused (CONFLICT),
  // says so, and reloading shows the other tab's entry.
  const other = await page.context().newPage();
  await other.goto(sessionUrl);
  await other.waitForSelector('[data-testid=tr-record] input[name=pre-3]', { timeout: 20000 });
  await other.fill('input[name=pre-3]', '40');
  await other.click('[data-testid=tr-record] button[type=submit]');
  await other.waitForSelector('[data-testid=tr-saved]', { timeout: 15000 });
  await other.close();
  await page.fill('input[name=pre-4]', '45');
  await page.click('[data-testid=tr-record] button[type=submit]');
  await page.waitForSelector('[data-testid=tr-conflict]', { timeout: 15000 });
  await page.screenshot({ path: join(shots, 'training-conflict-supervisor-phone.png'), fullPage: true });
  await page.click('[data-testid=tr-conflict] button');
  await page.waitForFunction(() => document.querySelector('input[name=pre-3]')?.value === '40', null, { timeout: 15000 });
  expect(await page.inputValue('input[name=post-0]') === '80', 'the saved after-test is gone');
  // The director: the course's effect as a chart and in words, the session just recorded.
  await page.setViewportSize({ width: 1366, height: 900 });
  await switchTo(page, 'director@dudao.demo');
  await page.goto(`${base}/training`);
  await page.waitForSelector('[data-testid=tr-course-row]', { timeout: 20000 });
  await page.click('[data-testid=tr-course-row] >> text=价格谈判与异议处理');
  await page.waitForSelector('[data-testid=tr-effect]', { timeout: 20000 });
  expect((await page.$$('.tr-chart rect.bar')).length === 4, 'the effect is not four bars');
  const words = await page.textContent('[data-testid=tr-effect-words]');
  expect(words.includes('参训者赢单率') && words.includes('净效果') && words.includes('个百分点'), `effect words: ${words}`);
  const row = await page.textContent(`[data-testid=tr-session-row]:has-text("${heldOn}")`);
  expect(row.includes('华东') && row.includes('2 / '), `the recorded session: ${row}`);
  await page.screenshot({ path: join(shots, 'training-course-director.png'), fullPage: true });
  // A new course linked to an article, found by a search; nothing is measurable yet.
  await page.goto(`${base}/training`);
  await page.click('[data-testid=tr-new-course] summary');
  await page.fill('.tr-course-form input[name=title]', '电话销售开场白');
  await page.fill('.tr-course-form input[name=topic]', '沟通技巧');
  await page.selectOption('.tr-course-form select[name=courseFormat]', 'ONLINE');
  await page.fill('.tr-course-form input[name=articleSearch]', '价格');
  await page.click('.tr-hits li:first-child button', { timeout: 15000 });
  await page.waitForSelector('.tr-chosen li', { timeout: 5000 });
  await page.click('.tr-course-form button[type=submit]');
  await page.waitForURL(/\/training\/course\//, { timeout: 15000 });
  await page.waitForSelector('[data-testid=tr-effect-empty]', { timeout: 20000 });
  expect(await page.$('.tr-article-links a[href^="/knowledge/article?id="]'), 'the linked article is not a link');
  // The catalogue filtered by format keeps the filter in the URL.
  await page.goto(`${base}/training?format=ONLINE`);
  await page.waitForSelector('[data-testid=tr-course-row]', { timeout: 20000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=tr-course-row] .tr-fmt')].every((b) => b.classList.contains('online')), null, { timeout: 15000 });
  expect(await page.inputValue('select[name=format]') === 'ONLINE', 'the format filter is not shown');
}, { width: 390, height: 844, hasTouch: true, isMobile: true });

await test('first load: bytes over the wire, precompressed and cached; the scorecard\'s requests', async (page) => {
  // What a phone downloads before the sign-in page shows, measured by Chromium itself
  // (encoded bytes, headers included), on a fresh profile with nothing cached.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const bytes = new Map();
  cdp.on('Network.responseReceived', (e) => bytes.set(e.requestId, { url: e.response.url, headers: e.response.headers, n: 0 }));
  cdp.on('Network.loadingFinished', (e) => { const r = bytes.get(e.requestId); if (r) r.n = e.encodedDataLength; });
  const header = (r, h) => Object.entries(r.headers).find(([k]) => k.toLowerCase() === h)?.[1] ?? '';
  await page.goto(`${base}/login`);
  await page.waitForSelector('form.login-card', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
  const first = [...bytes.values()];
  const total = first.reduce((a, r) => a + r.n, 0);
  const wasm = first.find((r) => r.url.endsWith('.wasm'));
  expect(wasm, 'no wasm loaded');
  expect(/\/app\.[0-9a-f]{8}\/dudao_bg\.wasm$/.test(wasm.url), `the wasm is not in a content-hashed directory: ${wasm.url}`);
  expect(header(wasm, 'content-encoding') === 'br', `the wasm came as ${header(wasm, 'content-encoding') || 'identity'}`);
  expect(header(wasm, 'cache-control').includes('immutable'), `wasm cache-control: ${header(wasm, 'cache-control')}`);
  // Every file the page names exists (a placeholder left in index.html would be fetched
  // as a route and answered with the page itself), and the wasm comes once.
  const stray = first.filter((r) => /__(CSS|JS|WASM|BOOT)__/.test(r.url));
  expect(stray.length === 0, `index.html names unbuilt files: ${stray.map((r) => r.url)}`);
  expect(first.filter((r) => r.url.endsWith('.wasm')).length === 1, 'the wasm was fetched twice');
  const html = first.find((r) => r.url.endsWith('/login'));
  expect(html && header(html, 'cache-control') === 'no-cache', `index.html cache-control: ${html && header(html, 'cache-control')}`);
  // The budget is the files' bytes, as `cargo xtask web` checks it; the response headers
  // (the Content-Security-Policy alone is ~1 KB per response) are shown beside it.
  const headerBytes = first.reduce((a, r) => a + Object.entries(r.headers).reduce((b, [k, v]) => b + k.length + String(v).length + 4, 0) + 17, 0);
  const bodies = total - headerBytes;
  console.log(`     first load of /login: ${first.length} responses, ${Math.round(total / 1024)} KB over the wire, ${Math.round(bodies / 1024)} KB of files (wasm ${Math.round(wasm.n / 1024)} KB brotli)`);
  expect(bodies <= 300 * 1024, `first load ${Math.round(bodies / 1024)} KB of files, over its 300 KB budget`);
  expect(total <= 310 * 1024, `first load ${Math.round(total / 1024)} KB over the wire, headers included`);
  // A second visit asks for nothing hashed again.
  bytes.clear();
  await page.goto(`${base}/login`);
  await page.waitForSelector('form.login-card', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
  const again = [...bytes.values()].filter((r) => /\.[0-9a-f]{8}[./]/.test(r.url) && r.n > 0);
  expect(again.length === 0, `hashed files fetched again: ${again.map((r) => r.url)}`);
  // The scorecard page of a director: how many GraphQL requests its first view makes.
  await page.fill('input[name=email]', 'director@dudao.demo');
  await page.fill('input[name=password]', 'dudao-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('.home-grid', { timeout: 15000 });
  let graphql = 0;
  page.on('request', (r) => { if (r.url().endsWith('/graphql')) graphql += 1; });
  await page.goto(`${base}/scorecard`);
  await page.waitForSelector('table.ranking tbody tr', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
  console.log(`     scorecard page: ${graphql} GraphQL requests on load`);
  expect(graphql <= 3, `${graphql} GraphQL requests for the scorecard page (the shell's me, the region list, the sections in one batch)`);
  // Another period: one request.
  graphql = 0;
  await page.selectOption('select[name=kind]', 'YEAR');
  await page.waitForFunction(() => document.querySelectorAll('.chart rect.bar').length === 3, null, { timeout: 20000 });
  await page.waitForLoadState('networkidle');
  console.log(`     scorecard period change: ${graphql} GraphQL request(s)`);
  expect(graphql === 1, `${graphql} GraphQL requests for a period change`);
  // A page outside the first load comes as a module of its own, compressed and kept.
  bytes.clear();
  await page.click('nav.sidebar >> text=客户');
  await page.waitForSelector('table.list tbody tr', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
  const parts = [...bytes.values()].filter((r) => r.url.endsWith('.wasm'));
  expect(parts.length >= 1 && parts.length <= 4, `the customers page loaded ${parts.length} modules`);
  expect(parts.every((r) => header(r, 'content-encoding') === 'br' && header(r, 'cache-control').includes('immutable')), 'a module came uncompressed or uncached');
  console.log(`     customers page, first visit: ${parts.length} modules, ${Math.round(parts.reduce((a, r) => a + r.n, 0) / 1024)} KB over the wire`);
});

await browser.close();
const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length}/${results.length} browser tests passed; screenshots in ${shots}`);
process.exit(failed.length ? 1 : 0);
