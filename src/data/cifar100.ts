import { ValueError, checkOptions } from '../util/errors';
import { loadCifar, type CifarLabels, type CifarLayout } from './cifar';
import type { ImageDataset } from './mnist';

/** The environment variable naming a copy (folder or archive) when no path is passed. */
export const ENV_VAR = 'TATAMI_CIFAR100_DIR';

export const layout: CifarLayout = {
  title: 'CIFAR-100',
  envVar: ENV_VAR,
  loader: 'cifar100',
  binDir: 'cifar-100-binary',
  pyDir: 'cifar-100-python',
  binFiles: { train: ['train.bin'], test: ['test.bin'] },
  pyFiles: { train: ['train'], test: ['test'] },
  binArchive: 'cifar-100-binary.tar.gz',
  pyArchive: 'cifar-100-python.tar.gz',
};

/** Class names for the 100 fine labels, in label order. */
export const fineClassNames: readonly string[] = Object.freeze(
  ('apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle ' +
    'caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant flatfish ' +
    'forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man maple_tree motorcycle ' +
    'mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree plain plate poppy porcupine ' +
    'possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail snake spider squirrel streetcar ' +
    'sunflower sweet_pepper table tank telephone television tiger tractor train trout tulip turtle wardrobe whale ' +
    'willow_tree wolf woman worm').split(' '),
);

/** Class names for the 20 coarse labels (superclasses), in label order. */
export const coarseClassNames: readonly string[] = Object.freeze(
  ('aquatic_mammals fish flowers food_containers fruit_and_vegetables household_electrical_devices household_furniture ' +
    'insects large_carnivores large_man-made_outdoor_things large_natural_outdoor_scenes large_omnivores_and_herbivores ' +
    'medium_mammals non-insect_invertebrates people reptiles small_mammals trees vehicles_1 vehicles_2').split(' '),
);

/** The fine class names (the default label mode). */
export const classNames = fineClassNames;

export interface Cifar100Options {
  /** 'fine' (100 classes, the default) or 'coarse' (20 superclasses), as Keras's `label_mode`. */
  labelMode?: 'fine' | 'coarse';
}

/**
 * CIFAR-100, as `keras.datasets.cifar100.load_data(label_mode)`: 50,000 training and 10,000
 * test 32x32 color images; x uint8 (N, 32, 32, 3), y (N, 1) int32 (Keras gives int64) holding
 * the fine (0-99) or coarse (0-19) label. Found as for CIFAR-10: `dir`, else
 * $TATAMI_CIFAR100_DIR, else Keras's cache; the Python (cifar-100-python/) or binary
 * (cifar-100-binary/) distribution, extracted or as its .tar.gz. Nothing is downloaded.
 */
export async function loadData(dir?: string, options: Cifar100Options = {}): Promise<ImageDataset> {
  checkOptions('cifar100.loadData', options, ['labelMode']);
  const mode = options.labelMode ?? 'fine';
  if (mode !== 'fine' && mode !== 'coarse') throw new ValueError(`cifar100.loadData: labelMode must be 'fine' or 'coarse', got '${mode}'`);
  const labels: CifarLabels = {
    binaryLabelRanges: [20, 100],
    binaryLabelIndex: mode === 'coarse' ? 0 : 1,
    pythonKey: `${mode}_labels`,
    numClasses: mode === 'coarse' ? 20 : 100,
    dtype: 'int32',
  };
  return loadCifar(layout, labels, dir);
}
