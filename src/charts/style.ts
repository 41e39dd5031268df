/** Colours a phone user tells apart at a glance (pictures/chart-target.png in the team's notes). */
export const COLORS = {
  buyLevel: '#1565c0',
  sellLevel: '#e8710a',
  buyFill: '#3b82d6',
  sellFill: '#f08a2c',
  up: '#26a69a',
  down: '#ef5350',
  lastPrice: '#222222',
  pnl: '#6a1b9a',
  pnlArea: 'rgba(106, 27, 154, 0.13)',
  compare: '#616161',
  text: '#222222',
  muted: '#444444',
  grid: '#e4e4e4',
  axis: '#999999',
} as const;

/** A rectangle of the canvas an echarts grid fills, in pixels. */
export interface Panel {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly height: number;
}

/** Where everything sits, in pixels; sizes are set for 1200 px wide and scale with the width. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly font: { readonly title: number; readonly subtitle: number; readonly text: number };
  /** Scales any other length set for 1200 px (line widths, marker sizes, gaps). */
  readonly px: (at1200: number) => number;
  readonly price: Panel;
  readonly pnl?: Panel;
  readonly titleTop: number;
  readonly subtitleTop: number;
  /** The legend and the caption for levels above the view share this line. */
  readonly captionAboveTop: number;
  readonly captionBelowTop: number;
}

/**
 * Fonts of 18 px or more at 1200 px wide (a phone shows the picture at its screen's width, so what counts is the
 * ratio); the PnL panel takes a sixth of the height, the price panel the rest below the header.
 */
export function layout(width: number, height: number, withPnl: boolean): Layout {
  const k = width / 1200;
  const px = (at1200: number) => Math.round(at1200 * k * 10) / 10;
  const left = px(92);
  const right = px(116);
  const top = px(106);
  const axisLabels = px(46);
  const caption = px(34);
  let pnl: Panel | undefined;
  let priceBottom: number;
  if (withPnl) {
    const pnlHeight = Math.round(height * 0.165);
    const pnlTop = height - axisLabels - pnlHeight;
    pnl = { left, right, top: pnlTop, height: pnlHeight };
    priceBottom = pnlTop - caption - px(16);
  } else {
    priceBottom = height - axisLabels - caption;
  }
  return {
    width,
    height,
    font: { title: px(26), subtitle: px(20), text: px(18) },
    px,
    price: { left, right, top, height: priceBottom - top },
    ...(pnl ? { pnl } : {}),
    titleTop: px(12),
    subtitleTop: px(46),
    captionAboveTop: px(76),
    captionBelowTop: priceBottom + (withPnl ? px(8) : axisLabels - px(8)),
  };
}
