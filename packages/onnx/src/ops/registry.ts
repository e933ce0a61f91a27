import { Add } from './add.js';
import { Concat } from './concat.js';
import { Constant } from './constant.js';
import { ConstantOfShape } from './constant-of-shape.js';
import { Expand } from './expand.js';
import { Gather } from './gather.js';
import { Gemm } from './gemm.js';
import { Identity } from './identity.js';
import { MatMul } from './mat-mul.js';
import type { Operator } from './operator.js';
import { GRU, LSTM, RNN } from './recurrent.js';
import { Reshape } from './reshape.js';
import { Shape } from './shape-op.js';
import { Slice } from './slice.js';
import { Softmax } from './softmax.js';
import { Squeeze, Unsqueeze } from './squeeze.js';
import { Transpose } from './transpose.js';

/** Every operator of the default ONNX domain this package runs, by `op_type`. */
export const OPERATORS: ReadonlyMap<string, Operator> = new Map(Object.entries({
  LSTM, GRU, RNN, Gemm, MatMul, Add, Softmax, Transpose, Squeeze, Unsqueeze, Reshape, Concat, Slice, Gather, Identity, Constant, Shape, ConstantOfShape, Expand,
}));
