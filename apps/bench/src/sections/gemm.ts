import { createCpuBackend, type CpuBackend } from '@rnn/backend-cpu';
import { RandomState } from '@rnn/tensor';
import { markdownTable, speedup } from '../markdown-table.js';
import { loadTfjs } from '../peers/load-tfjs.js';
import { measurePerCall } from '../timing.js';
import { workloadLabel, type Workload } from '../workloads.js';
import { absProduct, checkProduct } from './gemm-check.js';

/** One matrix product of an LSTM step: `C (M, N) = A (M, K) · B (K, N)`. */
export interface GemmShape {
  readonly product: string;
  readonly M: number;
  readonly K: number;
  readonly N: number;
}

/**
 * The products of one LSTM step on workload `w`: the recurrent `W_a (4·n_a, n_a)·a (n_a, m)`,
 * the input projection `W_x (4·n_a, n_x)·x (n_x, m)` and the full step `W (4·n_a, n_a+n_x)·[a; x]`.
 */
export function gemmShapes(w: Workload): GemmShape[] {
  return [
    { product: 'recurrent W_a·a', M: 4 * w.nA, K: w.nA, N: w.m },
    { product: 'input W_x·x', M: 4 * w.nA, K: w.nX, N: w.m },
    { product: 'full step W·[a; x]', M: 4 * w.nA, K: w.nA + w.nX, N: w.m },
  ];
}

/** The workloads of the GEMM section when `--workload` is not given. */
export const GEMM_WORKLOADS = ['medium', 'large'];

/** The label of the reference every GEMM row is compared with. */
const TFJS = 'tfjs-wasm tf.matMul';

/** The row whose left factor was packed once before timing (`prepareMatMul`), as the sequence kernels pack weights once per sequence. */
const PREPARED = 'cpu A packed once, ·B (wasm-simd)';

/**
 * The GEMM section: float32 `backend.matMul` of our cpu backend (wasm-simd, and the js engine
 * for reference) against tfjs-wasm's `tf.matMul` on the LSTM step shapes. Each shape is first
 * computed once by every engine and checked against tfjs (a `GemmMismatchError` stops the bench),
 * then timed: median ms per call, GFLOP/s (`2·M·K·N`) and the speed-up over tfjs-wasm.
 */
export async function runGemmSection(workloads: readonly Workload[]): Promise<void> {
  const tf = await loadTfjs('wasm');
  const ours: [string, CpuBackend][] = [
    ['cpu matMul (wasm-simd)', createCpuBackend({ engine: 'wasm-simd' })],
    ['cpu matMul (js)', createCpuBackend({ engine: 'js' })],
  ];
  const rows: string[][] = [];
  const rng = new RandomState(0);
  const draw = (n: number) => Float32Array.from({ length: n }, () => rng.nextGaussian());
  try {
    for (const w of workloads) {
      for (const { product, M, K, N } of gemmShapes(w)) {
        const shape = `(${M}×${K})·(${K}×${N})`;
        process.stderr.write(`bench: gemm · ${w.name} · ${product} ${shape}\n`);
        const [A, B] = [draw(M * K), draw(K * N)];
        const [tA, tB] = [tf.tensor2d(A, [M, K]), tf.tensor2d(B, [K, N])];
        const tfjsOnce = () => {
          const c = tf.matMul(tA, tB);
          const values = c.dataSync();
          c.dispose();
          return values;
        };
        const scale = absProduct(A, B, M, K, N);
        const expected = tfjsOnce();
        for (const [engine, backend] of ours) checkProduct(engine, backend.matMul(A, B, M, K, N), TFJS, expected, scale, [M, K, N]);

        const simd = ours[0]?.[1];
        if (simd === undefined) throw new Error('runGemmSection: no wasm-simd backend');
        const packed = simd.prepareMatMul(A, M, K);
        checkProduct(PREPARED, packed.multiply(B, N), TFJS, expected, scale, [M, K, N]);
        const timed: [string, () => unknown][] = [
          ...ours.map(([engine, backend]): [string, () => unknown] => [engine, () => backend.matMul(A, B, M, K, N)]),
          [PREPARED, () => packed.multiply(B, N)],
          [TFJS, tfjsOnce],
        ];
        const results = timed.map(([engine, fn]) => {
          const r = measurePerCall(() => void fn());
          process.stderr.write(`  ${engine}: median ${r.medianMs.toFixed(3)} ms (${r.runs} runs × ${r.callsPerRun} calls)\n`);
          return { engine, ...r };
        });
        tf.dispose([tA, tB]);
        packed.dispose();
        const base = results.find((r) => r.engine === TFJS)?.medianMs;
        for (const r of results) {
          rows.push([workloadLabel(w), product, shape, r.engine, r.medianMs.toFixed(3), ((2 * M * K * N) / (r.medianMs * 1e6)).toFixed(2), speedup(base, r.medianMs), `${r.runs}×${r.callsPerRun}`]);
        }
      }
    }
  } finally {
    for (const [, backend] of ours) backend.dispose();
  }
  console.log('\n## GEMM: one LSTM step\'s products, float32\n');
  console.log('`C = A·B` on row-major Float32Arrays through `CpuBackend.matMul` (packing A and copying B and C in and out of');
  console.log('the engine\'s heap included) against tfjs-wasm `tf.matMul` on tensors already on its backend, with `dataSync()`.');
  console.log(`"${PREPARED}" packs A with \`prepareMatMul\` before timing and times \`multiply(B, N)\` (B in, C out), as an LSTM`);
  console.log('packs its weights once per sequence and reuses them every step.');
  console.log(`Every product was first checked once against ${TFJS} (|C₁ − C₂| ≤ 2·K·2⁻²⁴·(|A|·|B|) elementwise).`);
  console.log('"runs×calls": timed runs × calls in each (short calls are repeated so a run lasts about 5 ms); "median ms" is the median run ÷ its calls.');
  console.log(`"× tfjs-wasm" = ${TFJS} median ÷ this median (above 1× = faster than tfjs-wasm).\n`);
  console.log(markdownTable(['workload', 'product', '(M×K)·(K×N)', 'engine', 'median ms', 'GFLOP/s', '× tfjs-wasm', 'runs×calls'], rows));
}
