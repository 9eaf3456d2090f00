/** The escalation level badge and the history of transitions (newest first). */
import { num, when } from '../format.ts';
import type { DashTransition, Level } from '../types.ts';

export function LevelBadge({ level, testId }: { level: Level | undefined; testId?: string }) {
  return (
    <span
      class={`badge level-${(level ?? 'none').toLowerCase()}`}
      data-testid={testId}
      data-level={level ?? ''}
    >
      {level ?? '…'}
    </span>
  );
}

const value = (v: DashTransition['value']) =>
  typeof v === 'number' ? num(v, 3) : v === null ? '' : String(v);

export function LevelHistory({ transitions }: { transitions: readonly DashTransition[] }) {
  return (
    <section class="panel" data-testid="level-history">
      <h2>Escalation history</h2>
      {transitions.length === 0 ? (
        <p class="muted">No transition yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>feed time</th>
              <th>from → to</th>
              <th>driver</th>
              <th class="r">value</th>
            </tr>
          </thead>
          <tbody>
            {transitions
              .slice(-30)
              .reverse()
              .map((t) => (
                <tr key={`${t.timeMs}${t.from}${t.to}${t.driver}${t.reason}`} title={t.reason}>
                  <td>{when(t.timeMs)}</td>
                  <td>
                    <LevelBadge level={t.from} /> → <LevelBadge level={t.to} />
                  </td>
                  <td>{t.driver}</td>
                  <td class="r">{value(t.value)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
