/** Telegram's limit on an inline button's callback_data, in UTF-8 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

export type ButtonAction = 'confirm' | 'cancel' | 'try' | 'chart';

const PREFIX: Record<ButtonAction, string> = { confirm: 'c', cancel: 'x', try: 't', chart: 'g' };
const ACTION: Readonly<Record<string, ButtonAction>> = { c: 'confirm', x: 'cancel', t: 'try', g: 'chart' };

/** `c:<id>`, `x:<id>`, `t:<id>` or `g:<id>`: the button names the exact confirmation it acts on, never "whatever is pending now". */
export function buttonData(action: ButtonAction, confirmationId: string): string {
  const data = `${PREFIX[action]}:${confirmationId}`;
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_MAX_BYTES)
    throw new Error(`callback data over ${CALLBACK_DATA_MAX_BYTES} bytes: ${data}`);
  return data;
}

export function parseButtonData(data: string): { readonly action: ButtonAction; readonly id: string } | undefined {
  const found = /^([cxtg]):([A-Za-z0-9_-]{1,60})$/.exec(data);
  if (found === null) return undefined;
  return { action: ACTION[found[1]!]!, id: found[2]! };
}
