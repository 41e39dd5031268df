/** Telegram refuses a photo caption longer than this (UTF-16 units, as it counts texts). */
export const CAPTION_LIMIT = 1024;

/**
 * How a reply with a picture goes out: `lead` as text message(s) before the picture (blank: none), then the picture
 * with `caption`. A caption too long for Telegram is not clipped: it joins the text before the picture whole, and the
 * picture goes bare, so nothing the command said is lost.
 */
export function photoMessages(text: string, caption: string, captionLimit = CAPTION_LIMIT): { lead: string; caption: string } {
  if (caption.length <= captionLimit) return { lead: text, caption };
  return { lead: text.trim() === '' ? caption : `${text}\n${caption}`, caption: '' };
}
