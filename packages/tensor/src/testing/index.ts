export { compareClose, assertAllClose, type Tolerance, type CloseReport } from './all-close.js';
export {
  describeBackendConformance,
  FLOAT64_TOLERANCES,
  CONFORMANCE_SIZES,
  type ConformanceOptions,
  type ConformanceTolerances,
} from './conformance.js';
export * from './reference.js';
