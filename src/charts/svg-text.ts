/**
 * Two fixes to the SVG zrender writes, so that resvg draws it the same on every machine and in every render:
 *
 * - Rich text (echarts uses it for time-axis labels and multi-colour captions) is written as
 *   `style="font: normal bold 18px Arimo"` or `style="font: 18px Arimo"`. resvg does not read the `font` shorthand and
 *   falls back to its 12 px default; the longhand properties it does read.
 * - Ids carry the painter's number (`zr0-c0`, `zr1-c0`, …), a counter over the process's lifetime, so the second
 *   chart's SVG would differ from the first's: the prefix is made constant (one chart per SVG, so ids stay unique).
 */
export function stableSvg(svg: string): string {
  return svg
    .replace(/style="font: ([^"]+)"/g, (whole, font: string) => longhand(font) ?? whole)
    .replace(/(id="|url\(#)zr\d+-/g, '$1chart-');
}

/** `[style] [weight] <size>px <family>` as longhand CSS; undefined when it is not that shape (left as it was). */
function longhand(font: string): string | undefined {
  const m = /^(?:(normal|italic|oblique) )?(?:(normal|bold|bolder|lighter|\d{3}) )?([\d.]+px) (.+)$/.exec(font.trim());
  if (!m) return undefined;
  const [, style, weight, size, family] = m;
  return `style="font-size:${size};font-family:${family};font-style:${style ?? 'normal'};font-weight:${weight ?? 'normal'};"`;
}
