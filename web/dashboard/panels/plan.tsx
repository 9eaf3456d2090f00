/**
 * The last hedge plan of the traded strategy (src/live/plan-recorder.ts): for a Greek-targeting
 * strategy, its solve — per hedge instrument the contract, quantity held, target and trade, and per
 * hedged asset the Greeks the solve aims at against the Greeks with the plan's quantities (and the
 * book's as last measured, from the risk report); for a strategy without a solver, its last
 * rebalance. Both say when and at which escalation level the plan was decided, whether it was
 * executed and why not, and its estimated cost.
 */
import { num, qty, when } from '../format.ts';
import type { DashAssetRisk, DashPlan, DashPlanGreeks, DashState } from '../types.ts';
import { LevelBadge } from './level.tsx';

const ROWS: readonly { key: 'cashDelta' | 'cashGamma' | 'vega'; label: string; title: string }[] = [
  { key: 'cashDelta', label: 'cash Δ', title: 'Δ·S, currency' },
  { key: 'cashGamma', label: 'cash Γ', title: 'Γ·S²/100, currency per 1 % spot move' },
  { key: 'vega', label: 'ν', title: 'vega, currency per 1.00 vol' },
];

function GreeksTable({
  greeks,
  now,
}: {
  greeks: readonly DashPlanGreeks[];
  now: readonly DashAssetRisk[] | undefined;
}) {
  return (
    <table data-testid="plan-greeks">
      <thead>
        <tr>
          <th>asset</th>
          <th>Greek</th>
          <th class="r">target</th>
          <th class="r" title="the hedged asset's Greeks with the plan's quantities">
            after the plan
          </th>
          <th class="r" title="the book's Greeks as last measured (risk report)">
            book now
          </th>
        </tr>
      </thead>
      <tbody>
        {greeks.flatMap((g) =>
          ROWS.map((r, k) => (
            <tr key={`${g.asset}-${r.key}`}>
              <th title={`${g.method} solve of ${g.solves.join(', ')}`}>
                {k === 0 ? `${g.asset} (${g.method})` : ''}
              </th>
              <td title={r.title}>{r.label}</td>
              <td class="r" data-testid={`plan-target-${r.key}`}>
                {g.target[r.key] === null ? 'not set' : num(g.target[r.key])}
              </td>
              <td class="r" data-testid={`plan-after-${r.key}`}>
                {num(g.after[r.key])}
              </td>
              <td class="r">{num(now?.find((a) => a.asset === g.asset)?.[r.key])}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

function Summary({ plan }: { plan: DashPlan }) {
  return (
    <p class="plan-summary">
      {plan.source === 'solver' ? 'Solve' : 'Rebalance'} of <b>{plan.strategy}</b> at step{' '}
      <span data-testid="plan-step">{plan.step}</span> ({plan.date ?? when(plan.ts)}), decided at{' '}
      <LevelBadge level={plan.level} testId="plan-level" />:{' '}
      <span class={`plan-status status-${plan.status.replace(/ /g, '-')}`} data-testid="plan-status">
        {plan.status}
      </span>
      {plan.reason ? <span data-testid="plan-reason"> — {plan.reason}</span> : null}. Estimated cost{' '}
      <span data-testid="plan-cost">{num(plan.cost, 4)}</span>.
    </p>
  );
}

export function PlanPanel({ s }: { s: DashState | undefined }) {
  const plan = s?.plan;
  return (
    <section class="panel span2" data-testid="plan">
      <h2>Last hedge plan</h2>
      {!plan ? (
        <p class="muted">No plan yet: the traded strategy has not decided.</p>
      ) : (
        <>
          {plan.source === 'rebalance' ? (
            <p class="muted" data-testid="plan-no-solver">
              No solver plan for this strategy: its last rebalance (target units per asset and trades).
            </p>
          ) : null}
          <Summary plan={plan} />
          <table data-testid="plan-legs">
            <thead>
              <tr>
                <th>instrument</th>
                <th>role</th>
                <th class="r">held</th>
                <th class="r">target</th>
                <th class="r">trade</th>
                <th>status</th>
              </tr>
            </thead>
            <tbody>
              {plan.legs.map((l) => (
                <tr key={l.contract}>
                  <td data-testid="plan-contract">{l.contract}</td>
                  <td>{l.role}</td>
                  <td class="r">{qty(l.held)}</td>
                  <td class="r">{qty(l.target)}</td>
                  <td class={`r ${l.trade > 0 ? 'buy' : l.trade < 0 ? 'sell' : ''}`} data-testid="plan-trade">
                    {qty(l.trade)}
                  </td>
                  <td class={`leg-${l.status.replace(/ /g, '-')}`}>{l.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {plan.greeks.length > 0 ? <GreeksTable greeks={plan.greeks} now={s?.risk?.perAsset} /> : null}
        </>
      )}
    </section>
  );
}
