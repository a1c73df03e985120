/**
 * tt.viz, the one public entry point of the renderers: plots of the Keras tutorials drawn from a
 * model or from plain data. Charts go through Vega-Lite (headless, to SVG) and resvg (SVG to
 * PNG); image grids are SVG documents with embedded PNG tiles made by pngjs, so every title is
 * real text. Each returns a VizImage (png, svg, size, save()).
 *
 * The plot functions are the model-aware forms of ./model, which also take the plain data of
 * the pure renderer of the same name: `plotFilters(kernel)` and `plotFilters(model, 0)` both
 * work. Modules inside viz/ import each other directly, never this file.
 */
export { type VizImage, svgToImage, makeImage } from './image';
export { writeFileAtomic } from '../util/atomic_file';
export { FONT_FAMILY, fontOptions } from './fonts';
export { type NDArrayLike, type MatrixLike, type LabelsLike, type Picture, ImageBatch, toClassIndices } from './ndarray';
export { type TileRange, encodeTile, displaySize } from './tiles';
export { type GridTile, type GridOptions, plotImageGrid, gridSvg, TITLE_COLOR, WRONG_COLOR } from './grid';
export { type VegaLiteSpec, renderVegaLite, vegaLiteToSvg, CHART_CONFIG } from './vega';
export { type HistoryLike, type HistoryOptions, type HistoryRow, historySpec, historyRows, metricFamilies, SERIES_COLORS } from './history';
export { type FilterOptions } from './filters';
export { type FeatureMapOptions } from './feature_maps';
export { type SampleGridOptions, type PredictionsLike, formatProbability } from './predictions';
export { type ConfusionOptions, confusionMatrix, confusionSpec, normalizeConfusion } from './confusion';
export { type ReportData, type ReportImage, type ReportValue, buildReport, saveReport, formatDuration } from './report';
export {
  type VizModel, type ModelFilterOptions, isModel, asModelInput,
  plotFilters, plotFeatureMaps, plotPredictions, plotMisclassified, plotConfusionMatrix, plotSamples, plotHistory,
} from './model';
