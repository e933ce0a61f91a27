/** Where a command writes: the CLI passes the process's streams, tests capture them. */
export interface Io {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** Whether stdout is a terminal (progress bars redraw in place there). */
  readonly outIsTTY: boolean;
  /** Whether stderr is a terminal. */
  readonly errIsTTY: boolean;
}

/**
 * The process's own stdout and stderr. When the reader of a stream goes away (`| head`), later
 * writes to it are dropped instead of crashing with EPIPE, so `train` still saves.
 */
export function processIo(): Io {
  return {
    out: writer(process.stdout),
    err: writer(process.stderr),
    outIsTTY: process.stdout.isTTY === true,
    errIsTTY: process.stderr.isTTY === true,
  };
}

function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** A line writer on one of the streams: human output goes to stdout, or to stderr when stdout carries JSON. */
export function lines(write: (text: string) => void): (line: string) => void {
  return (line) => write(`${line}\n`);
}
