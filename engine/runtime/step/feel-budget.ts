/**
 * The FEEL evaluation budget: each evaluation runs through a `node:vm` script with a timeout, whose
 * watchdog stops the JavaScript running on this thread (feelin's interpreter included) when the time is up.
 * The expression then fails (`FeelBudgetExceeded`) and the step raises an incident at its element, so a
 * loop over 1..10^9 or an exponential recursion costs one budget, not the node. A watchdog per evaluation
 * costs a few microseconds; feelin itself takes tens.
 */
import { createContext, Script } from 'node:vm';
import { FeelBudgetExceeded, setFeelBudget, type FeelBudget } from '../../expr/index.js';

/** The default limit of one FEEL evaluation. */
export const DEFAULT_FEEL_BUDGET_MS = 1000;

const sandbox = createContext({ work: null as (() => unknown) | null });
const script = new Script('work()', { filename: 'feel-budget' });

/** A budget of `limitMs` per evaluation; an evaluation taking a tenth of it counts as costly. */
export function timeBudget(limitMs: number): FeelBudget {
  return {
    limitMs,
    run<T>(work: () => T) {
      const started = performance.now();
      sandbox.work = work;
      try {
        const value = script.runInContext(sandbox, { timeout: limitMs }) as T;
        return { value, costly: performance.now() - started > limitMs / 10 };
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new FeelBudgetExceeded(limitMs);
        throw error;
      } finally {
        sandbox.work = null;
      }
    },
  };
}

/** Installs the budget for every FEEL evaluation of this process (0 or less: unbounded). */
export function installFeelBudget(limitMs: number = DEFAULT_FEEL_BUDGET_MS): void {
  setFeelBudget(limitMs > 0 ? timeBudget(limitMs) : null);
}
