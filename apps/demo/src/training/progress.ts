/** What one progress report shows. */
export interface ProgressLine {
  readonly iteration: number;
  readonly iterations: number;
  readonly loss: number;
  readonly heldOut: number | undefined;
  readonly namesPerSecond: number;
  readonly seconds: number;
}

/**
 * A progress bar for a terminal, or plain lines where stdout is not one (CI logs): on a TTY the
 * bar is redrawn in place; otherwise a line is printed every `every` iterations and at the end.
 */
export class Progress {
  readonly #tty: boolean;
  readonly #every: number;
  readonly #write: (text: string) => void;
  #drawn = false;

  constructor(options: { readonly tty: boolean; readonly every: number; readonly write: (text: string) => void }) {
    this.#tty = options.tty;
    this.#every = Math.max(1, Math.floor(options.every));
    this.#write = options.write;
  }

  /** Shows the state after an iteration. */
  update(p: ProgressLine): void {
    const text = format(p, this.#tty);
    if (this.#tty) {
      this.#write(`\r${text}\x1b[K`);
      this.#drawn = true;
    } else if (p.iteration % this.#every === 0 || p.iteration === p.iterations) {
      this.#write(`${text}\n`);
    }
  }

  /** Prints a whole line above the bar (the bar is redrawn by the next update). */
  log(line: string): void {
    this.#write(this.#tty && this.#drawn ? `\r\x1b[K${line}\n` : `${line}\n`);
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.#tty && this.#drawn) this.#write('\n');
    this.#drawn = false;
  }
}

function format(p: ProgressLine, bar: boolean): string {
  const width = 24;
  const filled = Math.round((width * p.iteration) / Math.max(1, p.iterations));
  const eta = p.iteration > 0 ? (p.seconds / p.iteration) * (p.iterations - p.iteration) : 0;
  const parts = [
    `iteration ${String(p.iteration).padStart(String(p.iterations).length)}/${p.iterations}`,
    `loss ${p.loss.toFixed(3)}`,
    `held-out ${p.heldOut === undefined ? '  –  ' : p.heldOut.toFixed(3)}`,
    `${Math.round(p.namesPerSecond)} names/s`,
    `${clock(p.seconds)} (eta ${clock(eta)})`,
  ];
  return (bar ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '') + parts.join('  ');
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
