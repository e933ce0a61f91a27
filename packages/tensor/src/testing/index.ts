/**
 * The conformance suite every backend runs (`describeBackendConformance`), the `allClose`
 * helpers, and a plain float64 reference of the cell math. Needs `vitest`. Test helpers for
 * backend authors, not part of the API a program uses.
 *
 * @module @rnn/tensor/testing
 * @group Test helpers
 */
export { compareClose, assertAllClose, type Tolerance, type CloseReport } from './all-close.js';
export {
  describeBackendConformance,
  FLOAT64_TOLERANCES,
  CONFORMANCE_SIZES,
  type ConformanceOptions,
  type ConformanceTolerances,
} from './conformance.js';
export * from './reference.js';
export * from './reference-sequence.js';
export { sequenceConformance, SEQUENCE_SIZES } from './sequence-conformance.js';
export { variantConformance } from './variant-conformance.js';
export { walkConformance } from './walk-conformance.js';
