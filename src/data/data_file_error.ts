import { TatamiError } from '../util/errors';

/**
 * A data file (IDX, CIFAR batch, pickle, tar archive, image) that cannot be read, is truncated,
 * damaged, hostile or not in the expected format. Every dataset and image reader throws this
 * class, and only this class, for what is wrong with a file's bytes; the message names the file.
 */
export class DataFileError extends TatamiError {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}
