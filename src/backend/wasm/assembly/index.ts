// Entry of the kernel module: re-exports every kernel. Build flags: see package.json "build:wasm".
// Every export that JavaScript calls with more than three values takes one argument block laid
// out in ../layout.ts (shared with the TypeScript wrappers), never a positional list.
export { fill_zero, heap_base } from './common';
export { mk6x8, pack_b, set_tile, set_tile_tmp } from './gemm';
export { gemm, gemm_scratch } from './gemm_driver';
export { conv_bwd_filter, conv_bwd_input_col2im, conv_fwd, conv_fwd_ind, im2col_rows } from './conv';
export { pack_flipped } from './conv_flip';
export { avgpool, avgpool_bwd, maxpool, maxpool_bwd } from './pooling';
export { affine, bias_grad, binary, binary_bcast, reduce_sum, relu, relu_grad, softmax } from './elementwise';
export { bias_relu, relu_bias_grad } from './elementwise';
export { wino_fwd, wino_scratch } from './wino';
export { wino_filter, wino_filter_out, wino_filter_scratch } from './wino_filter';
export { adadelta, adam } from './optim';
export { dropout_bwd, dropout_fwd } from './dropout';
export { resample } from './resample';
export { test_fault_trap } from './test_fault';
export { depthwise_bwd_filter, depthwise_bwd_input, depthwise_fwd } from './depthwise';
export { bn_apply, bn_grad_input, bn_sums } from './batch_norm';
export { relu6, relu6_grad } from './relu6';
export { wino4_fwd, wino4_scratch } from './wino4';
export { wino4_filter, wino4_filter_out, wino4_filter_scratch } from './wino4_filter';
export { wino4_bwd, wino4_bwd_scratch } from './wino4_bwd';
export { thin_filter } from './conv_thin';
export { wino5_fwd, wino5_scratch } from './wino5';
export { wino5_filter, wino5_filter_out, wino5_filter_scratch } from './wino5_filter';
export { thin_fwd } from './conv_thin';
export { wino_pack } from './wino_pack';
