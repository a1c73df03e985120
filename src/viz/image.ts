import * as path from 'path';
import { Resvg } from '@resvg/resvg-js';
import { writeFileAtomic } from '../util/atomic_file';
import { fontOptions } from './fonts';

/** A rendered picture: PNG bytes, the SVG it came from, and its pixel size. */
export interface VizImage {
  /** PNG bytes, `width` x `height` pixels. */
  png: Uint8Array;
  /** The vector source; its user units are PNG pixels divided by the render scale. */
  svg?: string;
  width: number;
  height: number;
  /** Writes `.png` or `.svg` according to the extension, atomically (temp file + rename). */
  save(filePath: string): Promise<void>;
}

/**
 * Renders an SVG document to PNG with resvg. `scale` multiplies the SVG's own size, so a chart
 * laid out at 700x300 user units with scale 2 becomes a 1400x600 PNG (like matplotlib's retina).
 */
export function svgToImage(svg: string, scale = 1): VizImage {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    font: fontOptions(),
  });
  const rendered = resvg.render();
  const png = new Uint8Array(rendered.asPng());
  return makeImage(png, rendered.width, rendered.height, svg);
}

export function makeImage(png: Uint8Array, width: number, height: number, svg?: string): VizImage {
  return {
    png,
    svg,
    width,
    height,
    save(filePath: string) {
      const ext = path.extname(filePath).toLowerCase();
      if (ext === '.png') return writeFileAtomic(filePath, png);
      if (ext === '.svg') {
        if (svg === undefined) throw new Error(`this image has no SVG form; save it as .png`);
        return writeFileAtomic(filePath, svg);
      }
      return Promise.reject(new Error(`cannot save an image as '${ext || filePath}': use .png or .svg`));
    },
  };
}
