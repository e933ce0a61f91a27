import type { FromModels, HeatmapData, ModelInfo, ToModels } from './protocol.js';

/** The distributive `Omit`: drops `request` from each member of a union. */
type WithoutRequest<T> = T extends unknown ? Omit<T, 'request'> : never;

/**
 * The page's side of the model worker (`models-worker.ts`): each call posts one request and
 * resolves with its answer, or rejects with the worker's message.
 */
export class ModelClient {
  readonly #worker = new Worker(new URL('./models-worker.ts', import.meta.url), { type: 'module' });
  readonly #waiting = new Map<number, { resolve: (m: FromModels) => void; reject: (e: Error) => void }>();
  #next = 1;

  constructor() {
    this.#worker.onmessage = (event: MessageEvent<FromModels>) => {
      const m = event.data;
      const waiting = this.#waiting.get(m.request);
      this.#waiting.delete(m.request);
      if (m.type === 'failed') waiting?.reject(new Error(m.message));
      else waiting?.resolve(m);
    };
  }

  #ask(message: WithoutRequest<ToModels>): Promise<FromModels> {
    const request = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(request, { resolve, reject });
      this.#worker.postMessage({ ...message, request });
    });
  }

  /** Reads checkpoint bytes (a copy stays with the page) and keeps the model as `model`. */
  async load(model: number, bytes: Uint8Array): Promise<ModelInfo> {
    const m = await this.#ask({ type: 'load', model, bytes });
    if (m.type !== 'loaded') throw new Error(`the model worker answered ${m.type} to load`);
    return m.info;
  }

  /** `count` names drawn from `seed`, each continuing `prefix`. */
  async sample(model: number, prefix: string, temperature: number, count: number, seed: number): Promise<readonly string[]> {
    const m = await this.#ask({ type: 'sample', model, prefix, temperature, count, seed });
    if (m.type !== 'sampled') throw new Error(`the model worker answered ${m.type} to sample`);
    return m.names;
  }

  /** The bottom layer's activations over `text` and its end. */
  async inspect(model: number, text: string): Promise<HeatmapData> {
    const m = await this.#ask({ type: 'inspect', model, text });
    if (m.type !== 'inspected') throw new Error(`the model worker answered ${m.type} to inspect`);
    return m.heatmap;
  }
}
