/**
 * The conformance suite every backend runs (`describeBackendConformance`), the `allClose`
 * helpers, and a plain float64 reference of the cell math. Needs `vitest`.
 *
 * @module @rnn/tensor/testing
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
export { sequenceConformance, SEQUENCE_SIZES } from './sequence-conformance.js';
