/**
 * The page's two live regions: a polite one for progress and completion, an assertive one for
 * errors. Every message is also kept in `log`, which tests read.
 */
export class Announcer {
  readonly #polite: HTMLElement;
  readonly #alert: HTMLElement;
  readonly #log: string[];

  constructor(polite: HTMLElement, alert: HTMLElement, log: string[]) {
    this.#polite = polite;
    this.#alert = alert;
    this.#log = log;
  }

  /** Progress and completion: read out when the reader is idle. */
  say(text: string): void {
    this.#log.push(text);
    this.#polite.textContent = text;
  }

  /** An error: read out at once. */
  alert(text: string): void {
    this.#log.push(text);
    this.#alert.textContent = text;
  }
}
