/** No checkpoint file where one was expected. Exits 3 and says how to make one. */
export class MissingCheckpointError extends Error {
  override readonly name = 'MissingCheckpointError';
  constructor(
    /** The path that was looked for. */
    readonly path: string,
  ) {
    super(`no checkpoint at ${path}; train one first with \`pnpm demo train\` (or pass --checkpoint FILE)`);
  }
}

/** No model file where one was named. Exits 3. */
export class MissingModelError extends Error {
  override readonly name = 'MissingModelError';
  constructor(
    /** The path that was looked for. */
    readonly path: string,
  ) {
    super(`no model at ${path}; write one with \`pnpm demo export --out ${path}\``);
  }
}

/** A model file that could not be loaded (truncated, unsupported operator …): the loader's message. Exits 3. */
export class UnreadableModelError extends Error {
  override readonly name = 'UnreadableModelError';
  constructor(
    /** The file that was read. */
    readonly path: string,
    /** The loader's error. */
    override readonly cause: Error,
  ) {
    super(cause.message);
  }
}
