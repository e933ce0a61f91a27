import { checkNumber, rangeText, type Checked, type NumberRange } from './settings.js';

/** A number input with its range and the element its message goes into. */
export interface NumberField {
  readonly input: HTMLInputElement;
  readonly range: NumberRange;
  /** Shows the range (`1–256`), set from `range` so the page and the check never disagree. */
  readonly rangeNote: HTMLElement;
  readonly error: HTMLElement;
}

/** Finds `#id`, `#id-range` and `#id-error`, shows the range and the initial value. */
export function numberField(id: string, range: NumberRange, find: (id: string) => HTMLElement): NumberField {
  const input = find(id);
  if (!(input instanceof HTMLInputElement)) throw new Error(`#${id} is not an input`);
  const field = { input, range, rangeNote: find(`${id}-range`), error: find(`${id}-error`) };
  field.rangeNote.textContent = rangeText(range);
  input.value = String(range.initial);
  return field;
}

/** Marks a control invalid (`aria-invalid="true"`) with the message next to it, or clears both. */
export function markField(control: HTMLElement, error: HTMLElement, message: string | null): void {
  if (message === null) control.removeAttribute('aria-invalid');
  else control.setAttribute('aria-invalid', 'true');
  error.textContent = message ?? '';
}

/** Marks a control by a check's outcome and returns the value, or `null` when it is refused. */
export function showChecked<T>(control: HTMLElement, error: HTMLElement, checked: Checked<T>): T | null {
  markField(control, error, checked.ok ? null : checked.message);
  return checked.ok ? checked.value : null;
}

/** Checks a number field as typed and marks it. */
export function readNumber(field: NumberField): number | null {
  return showChecked(field.input, field.error, checkNumber(field.input.value, field.range));
}
