import { TatamiError, ValueError } from '../util/errors';
import type { Layer } from './layer';

/**
 * The layer registry: every layer class under its registered (Keras) class name, with its
 * TensorFlow.js factories, its Keras config layouts and the other Keras names it is read under.
 * Each layer's file describes itself with defineLayer; src/layers/index.ts registers the list.
 */

/** A JSON value as Keras writes it in a config. */
export type KerasJson = null | boolean | number | string | readonly KerasJson[] | { readonly [key: string]: KerasJson };

/**
 * One key of a Keras layer config, in get_config order: the snake_case key, the value Keras writes
 * when tatami's getConfig has no such option (omitted: the key is written only when tatami has
 * it), and 'unused' for keys Keras writes although the layer never reads them (tf.keras 2's
 * SeparableConv2D inherits kernel_initializer from Conv): tatami writes the default and drops the
 * key when reading.
 */
export type KerasKey = readonly [key: string, dflt?: KerasJson, note?: 'unused'];

/** Keras's config keys after name, trainable and dtype (which every layer writes first). */
export type KerasLayout = readonly KerasKey[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LayerClass = (new (config: any) => Layer) & { readonly className: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LayerFactories = Record<string, (args?: any) => Layer>;

export interface LayerDefinition<F extends LayerFactories = LayerFactories> {
  /** The class; its static `className` is the registered name (Keras's class name). */
  readonly cls: LayerClass;
  /** tfjs factory names, e.g. { conv2d, ... }; several names may build the same layer (maxPool2d). */
  readonly factories: F;
  /** Keras 3's get_config keys and defaults. */
  readonly layout: KerasLayout;
  /** tf.keras 2's layout where it differs from Keras 3's. */
  readonly keras2Layout?: KerasLayout;
  /** Other Keras class names read as this layer (MaxPool2D, Convolution2D, ...). */
  readonly aliases?: readonly string[];
}

/** Describes a layer for the registry; keeps the factories' types for the tt.layers object. */
export function defineLayer<F extends LayerFactories>(def: LayerDefinition<F>): LayerDefinition<F> {
  return def;
}

const byName = new Map<string, LayerDefinition>();
const byAlias = new Map<string, string>();

function ownClassName(cls: LayerClass): string {
  const name = Object.prototype.hasOwnProperty.call(cls, 'className') ? cls.className : undefined;
  if (typeof name !== 'string' || name === '') {
    throw new TatamiError(`a layer class must declare its own static className (its Keras class name) to be registered; got a class without one`);
  }
  return name;
}

/** Registers a layer under its static className and its aliases; re-registering a name replaces it. */
export function registerLayer(def: LayerDefinition): void {
  const name = ownClassName(def.cls);
  const taken = byAlias.get(name);
  if (taken) throw new ValueError(`cannot register layer '${name}': it is already an alias of '${taken}'`);
  for (const alias of def.aliases ?? []) {
    const owner = byAlias.get(alias);
    if (byName.has(alias) || (owner && owner !== name)) throw new ValueError(`cannot register alias '${alias}' of layer '${name}': the name is taken`);
  }
  byName.set(name, def);
  for (const alias of def.aliases ?? []) byAlias.set(alias, name);
}

/** The registered name for a Keras class name or alias (MaxPool2D → MaxPooling2D); unknown names pass through. */
export function canonicalLayerName(className: string): string {
  return byAlias.get(className) ?? className;
}

/** The registry entry of a layer (by its registered name or an alias), or undefined. */
export function layerDefinition(className: string): LayerDefinition | undefined {
  return byName.get(canonicalLayerName(className));
}

export function layerClass(className: string): LayerClass {
  const def = layerDefinition(className);
  if (!def) throw new ValueError(`unknown layer class '${className}'; tatami knows: ${registeredLayers().join(', ')}`);
  return def.cls;
}

/** Registered names, in registration order. */
export function registeredLayers(): string[] {
  return [...byName.keys()];
}

/** Keras's config layout of a layer in either style; empty for unknown layers. */
export function kerasLayout(className: string, style: 'keras3' | 'keras2'): KerasLayout {
  const def = layerDefinition(className);
  if (!def) return [];
  return (style === 'keras2' && def.keras2Layout) || def.layout;
}

export function serializeLayer(layer: Layer): { className: string; config: Record<string, unknown> } {
  return { className: layer.className, config: layer.getConfig() };
}

export function deserializeLayer(spec: { className: string; config: Record<string, unknown> }): Layer {
  return new (layerClass(spec.className))(spec.config);
}
