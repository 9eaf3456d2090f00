/**
 * `hedgekit demo` (what `npm start` runs): a short tour of the pricing core on embedded defaults —
 * the cost of static insurance for a 100-unit equity position, and how a barrier put compares.
 */
import type { Command } from 'commander';
import {
  barrierPrice,
  bsmGreeks,
  bsmPrice,
  impliedVolBsm,
  percentLabel,
  percentValue,
  priceOption,
} from '../../api.ts';
import { fmt, table } from '../format.ts';
import type { CliIo } from '../io.ts';

export function registerDemo(program: Command, io: CliIo): void {
  const out = io.stdout;
  const pc = (x: number) => percentLabel(x, { space: true });
  program
    .command('demo')
    .description('pricing tour on embedded defaults: insurance costs, Greeks, barrier puts, implied vol')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const S = 100;
      const T = 1;
      const r = 0.03;
      const q = 0.015;
      const vol = 0.2;
      const rows = [0.7, 0.8, 0.9, 1.0].map((m) => {
        const K = S * m;
        const g = bsmGreeks('put', S, K, T, r, q, vol);
        const euro = g.price;
        const amer = priceOption(
          {
            type: 'put',
            style: 'american',
            model: 'bsm',
            underlying: S,
            strike: K,
            expiry: T,
            rate: r,
            dividend: q,
          },
          vol,
        ).price;
        const dop = barrierPrice({
          type: 'put',
          barrierType: 'down-out',
          spot: S,
          strike: K,
          barrier: K * 0.75,
          rebate: 0,
          expiry: T,
          rate: r,
          dividend: q,
          vol,
        });
        return {
          floor: m,
          strike: K,
          european: euro,
          american: amer,
          downAndOut: dop,
          delta: g.delta,
          gamma: g.gamma,
          vega: g.vega,
        };
      });
      const callK = 110;
      const collarCall = bsmPrice('call', S, callK, T, r, q, vol);
      const iv = impliedVolBsm('put', rows[2].european, S, 90, T, r, q);
      if (opts.json) {
        out(
          JSON.stringify({
            market: { spot: S, expiry: T, rate: r, dividend: q, vol },
            puts: rows,
            collarCall,
            ivRoundTrip: iv,
          }),
        );
        return;
      }
      out(`hedgekit pricing tour — spot ${S}, 1 year, rate ${pc(r)}, dividend ${pc(q)}, vol ${pc(vol)}\n`);
      out('Cost of protecting one unit of equity with a put at each floor (% of spot):');
      out(
        table(
          [
            'floor',
            'European put',
            'American put',
            'down-and-out put (barrier 75 % of K)',
            'delta',
            'gamma',
            'vega /pt',
          ],
          rows.map((x) => [
            pc(x.floor),
            `${fmt(x.european)} (${percentValue(x.european / S)})`,
            fmt(x.american),
            fmt(x.downAndOut),
            fmt(x.delta),
            fmt(x.gamma),
            fmt(x.vega / 100),
          ]),
        ),
      );
      out(
        `\nZero-cost-style collar: buy the 90 put (${fmt(rows[2].european)}), sell the ${callK} call (${fmt(collarCall)}): net premium ${fmt(rows[2].european - collarCall)}.`,
      );
      out('The down-and-out put is cheaper because it vanishes in exactly the crash it was bought for.');
      out(`Implied vol recovered from the 90 put's price: ${percentValue(iv, 12)}`);
      out('\nNext: hedgekit price --help, hedgekit iv --help');
    });
}
