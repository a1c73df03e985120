import { loadImg, imgToArray, arrayToImg, saveImg, decodeImage, IMAGE_EXTENSIONS } from './image';
import { imageDatasetFromDirectory, DirectoryImageDataset } from './dataset_from_directory';

/** Images from files, as `keras.utils` / `keras.preprocessing.image`. */
export const image = { loadImg, imgToArray, arrayToImg, saveImg, decodeImage, imageDatasetFromDirectory, IMAGE_EXTENSIONS };

export { loadImg, imgToArray, arrayToImg, saveImg, decodeImage, IMAGE_EXTENSIONS, imageDatasetFromDirectory, DirectoryImageDataset };
export type { Img, ColorMode, LoadImgOptions } from './image';
export type { ImageDatasetFromDirectoryOptions, ImageBatch, LabelMode } from './dataset_from_directory';
export type { Interpolation } from './resize';
