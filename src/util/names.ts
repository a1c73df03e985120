/**
 * Keras's naming.to_snake_case, for default layer names and H5 group names: Conv2D → conv2d,
 * MaxPooling2D → max_pooling2d, BatchNormalization → batch_normalization.
 */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
