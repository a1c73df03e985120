import type { Tensor, DType, DataArray, NestedArray } from '../tensor/tensor';
import { tensor } from '../ops/public_creation';
import { ShapeError } from '../util/errors';

// tfjs's tensor5d and tensor6d (tensor..tensor4d are tatami's public ops).

type Values = NestedArray | DataArray | number[];

function ranked(rank: number) {
  return (values: Values, shape?: number[], dtype?: DType): Tensor => {
    const t = tensor(values, shape, dtype);
    if (t.rank !== rank) throw new ShapeError(`tensor${rank}d() requires values of rank ${rank}, got shape [${t.shape}]`);
    return t;
  };
}

export const tensor5d = ranked(5);
export const tensor6d = ranked(6);
