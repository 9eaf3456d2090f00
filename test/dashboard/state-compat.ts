/**
 * Compile-time check (run by `tsc --noEmit`): the state the live API streams is assignable to the
 * dashboard's view of it (web/dashboard/types.ts), so a change of `LiveState` that the dashboard
 * would misread fails the type check instead of the page.
 */
import type { LiveState } from '../../src/api.ts';
import type { DashState } from '../../web/dashboard/types.ts';

export function asDashState(s: LiveState): DashState {
  return s;
}
