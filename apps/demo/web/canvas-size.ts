/** A canvas's 2-D context scaled to CSS pixels, and its size in them. */
export interface SizedCanvas {
  readonly g: CanvasRenderingContext2D;
  readonly width: number;
  readonly height: number;
}

/**
 * Sizes a canvas to the width its box has on the page (CSS `width: 100%`) and to `height` CSS
 * pixels, with a backing store of `devicePixelRatio` pixels per CSS pixel so lines stay sharp; the
 * context draws in CSS pixels. `null` when the browser gives no 2-D context.
 */
export function fitCanvas(canvas: HTMLCanvasElement, height: number): SizedCanvas | null {
  const g = canvas.getContext('2d');
  if (g === null) return null;
  const width = Math.max(200, Math.floor(canvas.clientWidth || canvas.parentElement?.clientWidth || 640));
  const ratio = Math.max(1, window.devicePixelRatio || 1);
  canvas.style.height = `${height}px`;
  // Setting either size reallocates the backing store, even to the same value: only when it changes.
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  return { g, width, height };
}
