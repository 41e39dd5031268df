import { renderAsync } from '@resvg/resvg-js';
import { FONT_FAMILY, fontFiles } from './fonts.js';

/**
 * SVG → PNG on libuv's thread pool (renderAsync), so the event loop, and with it every fill, keeps turning while the
 * pixels are drawn. Fonts come only from the shipped files: system fonts would make the bytes depend on the machine.
 */
export async function rasterise(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'original' },
    background: '#ffffff',
  });
  return image.asPng();
}
