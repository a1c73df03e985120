import { loadImg, imgToArray, arrayToImg, saveImg, decodeImage, IMAGE_EXTENSIONS } from './image';
import { imageDatasetFromDirectory, DirectoryImageDataset } from './dataset_from_directory';
import { ImageDataGenerator } from './image_data_generator';
import { DirectoryIterator } from './directory_iterator';

/**
 * tt.preprocessing: images from files and folders (keras.utils.load_img, image_dataset_from_directory)
 * and Keras's ImageDataGenerator (keras.preprocessing.image), channels-last.
 */
export const image = { loadImg, imgToArray, arrayToImg, saveImg, decodeImage, imageDatasetFromDirectory, IMAGE_EXTENSIONS, ImageDataGenerator };

export { ImageDataGenerator, DirectoryIterator };
export { loadImg, imgToArray, arrayToImg, saveImg, decodeImage, IMAGE_EXTENSIONS, imageDatasetFromDirectory, DirectoryImageDataset };
export type { Img, ColorMode, LoadImgOptions } from './image';
export type { ImageDatasetFromDirectoryOptions, ImageBatch, LabelMode } from './dataset_from_directory';
export type { Interpolation } from './resize';
export type { ImageDataGeneratorOptions } from './image_data_generator';
export type { FlowFromDirectoryOptions, ClassMode } from './directory_iterator';
