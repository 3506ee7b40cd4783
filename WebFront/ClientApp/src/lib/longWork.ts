import { onBeforeUnmount, reactive } from 'vue';
import { ApiError } from './api';

/** A long operation as the console shows it (SPEC E5): its stage, a percentage when one is known, the seconds spent, and its outcome. */
export interface LongWork {
  running: boolean;
  stage: string;
  percent: number | null;
  seconds: number;
  outcome: { type: 'success' | 'error'; text: string } | null;
}

export function useLongWork() {
  const work = reactive<LongWork>({ running: false, stage: '', percent: null, seconds: 0, outcome: null });
  let timer: number | undefined;
  onBeforeUnmount(() => window.clearInterval(timer));

  /** Moves to a stage; without a percentage the stage shows as running for as long as it takes. */
  const step = (stage: string, percent: number | null = null) => Object.assign(work, { stage, percent });

  /** Runs `action`, which calls `step` as it goes and answers the outcome's text; a failure becomes the outcome too. */
  async function run<T>(action: (stepTo: typeof step) => Promise<{ result: T; outcome: string }>): Promise<T> {
    const started = performance.now();
    Object.assign(work, { running: true, stage: '', percent: null, seconds: 0, outcome: null });
    timer = window.setInterval(() => (work.seconds = Math.round((performance.now() - started) / 1000)), 500);
    try {
      const { result, outcome } = await action(step);
      work.outcome = { type: 'success', text: outcome };
      return result;
    } catch (error) {
      work.outcome = { type: 'error', text: error instanceof ApiError ? error.localized : String((error as Error).message ?? error) };
      throw error;
    } finally {
      window.clearInterval(timer);
      work.running = false;
    }
  }

  const reset = () => Object.assign(work, { running: false, stage: '', percent: null, seconds: 0, outcome: null });
  return { work, run, reset };
}
