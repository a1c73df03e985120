import { array, func, generator, zip, Dataset } from './dataset';
import { csv, CSVDataset } from './csv';

/** tf.data: datasets from arrays, generators, zips and local csv files, and the Dataset chain. */
export const data = { array, generator, zip, func, csv, Dataset, CSVDataset };
export { Dataset, CSVDataset };
export type { CSVConfig, ColumnConfig } from './csv';
export type { LazyIterator } from './lazy_iterator';
