import { checkNumber, rangeText, type Checked, type NumberRange } from './settings.js';

/** A checked field's controls: its input, the note that states its range, the element its message goes into. */
export interface FieldControls {
  readonly input: HTMLInputElement;
  readonly rangeNote: HTMLElement;
  readonly error: HTMLElement;
}

/**
 * Fills a field's box (`<div class="field" data-field="ID" data-label="…">`, with
 * `data-inputmode` and `data-wide` when wanted) with its label, its input `#ID`, the range note
 * `#ID-range` and the message `#ID-error`, wired with `for` and `aria-describedby`: every checked
 * field of the page is built here, the same way.
 */
export function fieldControls(id: string): FieldControls {
  const box = document.querySelector(`[data-field="${id}"]`);
  if (!(box instanceof HTMLElement)) throw new Error(`the page has no field ${id}`);
  const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: box.dataset.label ?? id });
  const input = Object.assign(document.createElement('input'), { id, autocomplete: 'off', spellcheck: false });
  if (box.dataset.inputmode !== undefined) input.inputMode = box.dataset.inputmode;
  if (box.dataset.wide !== undefined) input.className = 'wide';
  input.setAttribute('aria-describedby', `${id}-range ${id}-error`);
  const rangeNote = Object.assign(document.createElement('span'), { id: `${id}-range`, className: 'range' });
  const error = Object.assign(document.createElement('span'), { id: `${id}-error`, className: 'error' });
  box.replaceChildren(label, input, rangeNote, error);
  return { input, rangeNote, error };
}

/** A number field and its range. */
export interface NumberField extends FieldControls {
  readonly range: NumberRange;
}

/** Builds a number field (see `fieldControls`) showing its range and its initial value. */
export function numberField(id: string, range: NumberRange): NumberField {
  const field = { ...fieldControls(id), range };
  field.rangeNote.textContent = rangeText(range);
  field.input.value = String(range.initial);
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
