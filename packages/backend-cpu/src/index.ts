export { createCpuBackend, type CpuBackend } from './cpu-backend.js';
