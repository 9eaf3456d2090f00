import { chromium } from 'playwright-core';
const [file, out] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const p = await b.newPage({ viewport: { width: 1200, height: 1600 } });
await p.goto(`file://${file}`);
const H = await p.evaluate('document.body.scrollHeight') as number;
for (let i = 0, y = 0; y < H; i++, y += 1600) { await p.evaluate(`window.scrollTo(0, ${y})`); await p.screenshot({ path: `${out}-${i}.png` }); }
console.log(H);
await b.close();
