import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costModel } from '../portfolio/costs.ts';
import { type Order, orderId } from './orders.ts';
import { PaperBroker } from './paper-broker.ts';

const costs = costModel({ bps: { equity: 5 } });
const order = (over: Partial<Order> = {}): Order => ({
  id: orderId('run', 3, 'SPX', 'asset:buy:0'),
  run: 'run',
  seq: 3,
  step: 1,
  ts: 1000,
  kind: 'asset',
  instrument: 'SPX',
  assetClass: 'equity',
  qty: 2,
  side: 'buy',
  price: 100,
  cost: 0.1,
  level: 'NORMAL',
  ...over,
});

describe('paper broker', () => {
  it('fills at the quote with the cost model after the latency, and acknowledges an id once', async () => {
    const b = new PaperBroker({ costs, latencyMs: 250 });
    expect(await b.submit(order(), 1000)).toEqual({ orderId: order().id, duplicate: false });
    expect(await b.submit(order(), 1001)).toEqual({ orderId: order().id, duplicate: true });
    expect(await b.poll(1249)).toEqual([]);
    const fills = await b.poll(1250);
    expect(fills).toEqual([
      {
        id: `f:${order().id}`,
        orderId: order().id,
        ts: 1250,
        instrument: 'SPX',
        qty: 2,
        price: 100,
        cost: 2 * 100 * 5e-4,
      },
    ]);
    expect(await b.status(order().id)).toBe('filled');
    expect(await b.status('nope')).toBe('unknown');
    await b.delivered(fills.map((f) => f.id));
    expect(await b.poll(5000)).toEqual([]);
    expect((await b.positions()).get('SPX')).toBe(2);
    b.close();
  });

  it('charges an option the spread the order carries', async () => {
    const b = new PaperBroker({ costs });
    await b.submit(
      order({
        id: 'opt',
        kind: 'option',
        instrument: 'SPX put K=90 T=0.25',
        qty: -1,
        side: 'sell',
        price: 3,
        cost: 0.03,
      }),
      0,
    );
    expect((await b.poll(1000))[0]).toMatchObject({ qty: -1, price: 3, cost: 0.03 });
    b.close();
  });

  it('keeps its orders and fills in its own file across a restart', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'hk-broker-')), 'broker.sqlite');
    const a = new PaperBroker({ costs, store });
    await a.submit(order(), 1000);
    a.close();
    const b = new PaperBroker({ costs, store });
    expect(await b.submit(order(), 2000)).toMatchObject({ duplicate: true });
    expect((await b.poll(1000)).length).toBe(1);
    b.close();
  });

  it('derives the same order id from the same decision and another from any other', () => {
    const id = orderId('run', 12, 'SPX', 'asset:buy:0');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(orderId('run', 12, 'SPX', 'asset:buy:0')).toBe(id);
    expect(
      new Set([
        orderId('run', 13, 'SPX', 'asset:buy:0'),
        orderId('run2', 12, 'SPX', 'asset:buy:0'),
        orderId('run', 12, 'NDX', 'asset:buy:0'),
        orderId('run', 12, 'SPX', 'asset:sell:0'),
      ]).size,
    ).toBe(4);
  });
});
