/**
 * tt.viz: pure renderers from plain data to pictures. Charts go through Vega-Lite (headless,
 * to SVG) and resvg (SVG to PNG); image grids are SVG documents with embedded PNG tiles made by
 * pngjs, so every title is real text. Each returns a VizImage (png, svg, size, save()).
 */
export { type VizImage, svgToImage, makeImage } from './image';
export { writeFileAtomic } from '../util/atomic_file';
export { FONT_FAMILY, fontOptions } from './fonts';
export { type NDArrayLike, type MatrixLike, type LabelsLike, type Picture, ImageBatch, toClassIndices } from './ndarray';
export { type TileRange, encodeTile, displaySize } from './tiles';
export { type GridTile, type GridOptions, plotImageGrid, gridSvg, TITLE_COLOR, WRONG_COLOR } from './grid';
export { type VegaLiteSpec, renderVegaLite, vegaLiteToSvg, CHART_CONFIG } from './vega';
export {
  type HistoryLike, type HistoryOptions, type HistoryRow,
  plotHistory, historySpec, historyRows, metricFamilies, SERIES_COLORS,
} from './history';
export { type FilterOptions, plotFilters } from './filters';
export { type FeatureMapOptions, plotFeatureMaps } from './featureMaps';
export {
  type SampleGridOptions, type PredictionsLike,
  plotSamples, plotPredictions, plotMisclassified, formatProbability,
} from './predictions';
export { type ConfusionOptions, plotConfusionMatrix, confusionMatrix, confusionSpec, normalizeConfusion } from './confusion';
export { type ReportData, type ReportImage, type ReportValue, buildReport, saveReport, formatDuration } from './report';
