import { describe, expect, it } from 'vitest';
import { scrubText } from '../../src/audit/index.js';

const KEY64 = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';

describe('what the audit trail counts as a secret in a command', () => {
  it("the bot's own secrets wherever they appear, even short ones inside words", () => {
    expect(scrubText('/grid BTCUSDT 10 0.5 xhunter2x', ['hunter2'])).toBe('/grid BTCUSDT 10 0.5 x[secret]x');
  });

  it('a Telegram bot token, a value after a secret-sounding name, a long run of letters and digits', () => {
    expect(scrubText('/help 7012345678:AAF1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW', [])).toBe('/help [secret]');
    expect(scrubText('/x apiKey=abc123def secret: s3cr3tvalue password=hunter22 token=tok_9f8e7d', [])).toBe(
      '/x apiKey=[secret] secret: [secret] password=[secret] token=[secret]',
    );
    expect(scrubText(`/balance ${KEY64}`, [])).toBe('/balance [secret]');
  });

  it('leaves what commands really take: symbols, numbers, named options, client order ids up to 36 characters', () => {
    for (const text of [
      '/grid BTCUSDT 10 0.5 25 geometric sl=90000 tp=110000',
      '/stop G12',
      '/kill flatten',
      '/orders tg_G123456_7890123_B-1234567890abcd',
      '/help key=value',
      `/x ${'a'.repeat(60)}`,
    ]) {
      expect(scrubText(text, [])).toBe(text);
    }
  });
});
