import { api, unwrap, type Schemas } from '../lib/api';

const unfinished = new Set(['queued', 'running']);

/**
 * The task record once the task has ended (or as it stands after `timeoutMs`), checked once a
 * second: a queued run reports no progress of its own, so the console asks for it.
 */
export async function waitForTask(taskId: string, timeoutMs = 120_000): Promise<Schemas['TaskView']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await unwrap(api.GET('/api/v1/task-records/{id}', { params: { path: { id: taskId } } }));
    if (!unfinished.has(task.status) || Date.now() > deadline) return task;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}
