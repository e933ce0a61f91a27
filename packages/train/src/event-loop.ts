/**
 * Resolves on a later turn of the event loop, so that timers, I/O, signal handlers and (in a
 * page or a worker) messages run before it does. `fit` awaits it every iteration; an awaited
 * promise that is already settled would not do, since microtasks run before any of those.
 * Node uses `setImmediate`; browsers and workers a `MessageChannel` message, which is not
 * clamped to 4 ms as nested `setTimeout` calls are.
 *
 * @example
 * ```ts
 * for (let i = 0; i < 2000 && !signal.aborted; i++) {
 *   await yieldToEventLoop();   // lets the abort, timers and the page run between steps
 *   const { grads } = await lossAndGradients('lstm', dims, parameters, encodeBatch(sampler.next(), vocabulary.size, vocabulary.endIndex), { backend });
 *   optimizer.step(parameters, grads);
 * }
 * ```
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => void setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => void setTimeout(resolve, 0));
}
