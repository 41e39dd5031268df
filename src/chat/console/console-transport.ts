import { type Interface, clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatSession } from '../dispatcher.js';
import type { Reply, ReplyFollowUp, ReplyPhoto } from '../registry.js';
import { savePicture } from './picture-file.js';

const CONSOLE_CHAT_ID = 'console';
const DEFAULT_CHART_DIR = './charts';

/** Why the console stopped: input ended, the owner typed /quit, pressed Ctrl-C, or the app called close(). */
export type ConsoleCloseReason = 'end' | 'quit' | 'interrupt' | 'closed';

export interface ConsoleTransportOptions {
  readonly session: ChatSession;
  readonly input: Readable;
  readonly output: Writable;
  readonly prompt?: string;
  readonly chatId?: string;
  /** Readline's terminal mode (line editing, Ctrl-C as an event); defaults to whether `output` is a TTY. */
  readonly terminal?: boolean;
  /** Where a reply's picture is saved (CHART_DIR): a terminal cannot show it, so it prints the path. */
  readonly chartDir?: string;
}

const QUIT_WORDS: ReadonlySet<string> = new Set(['/quit', '/exit']);

/** How a reply reads on a console: the text, then what to type instead of pressing a button. */
function consoleText(reply: Reply): string {
  // Only confirm and cancel are words; a "Try it on history" is typed as the /backtest it runs, a "Chart" as /chart.
  const actions = reply.buttons?.flatMap((b) => (b.action === 'try' || b.action === 'chart' ? [] : [b.action])) ?? [];
  if (actions.length === 0) return reply.text;
  return `${reply.text}\nType ${actions.join(' or ')}.`;
}

/**
 * The owner's chat on a terminal: each line goes to the session and its reply is printed, one line at a time in
 * order; notifications print above the prompt without breaking what the owner is typing.
 */
export class ConsoleTransport {
  /** Resolves once the console has stopped and every reply already asked for has been printed. */
  readonly closed: Promise<ConsoleCloseReason>;
  private readonly rl: Interface;
  private readonly output: Writable;
  private readonly session: ChatSession;
  private readonly chatId: string;
  private readonly terminal: boolean;
  private readonly chartDir: string;
  private queue: Promise<void> = Promise.resolve();
  private reason: ConsoleCloseReason | undefined;
  private busy = false;
  private resolveClosed!: (reason: ConsoleCloseReason) => void;

  constructor(options: ConsoleTransportOptions) {
    this.session = options.session;
    this.output = options.output;
    this.chatId = options.chatId ?? CONSOLE_CHAT_ID;
    this.terminal = options.terminal ?? Boolean((options.output as { isTTY?: boolean }).isTTY);
    this.chartDir = options.chartDir ?? DEFAULT_CHART_DIR;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.rl = createInterface({
      input: options.input,
      output: options.output,
      prompt: options.prompt ?? 'telegrid> ',
      terminal: this.terminal,
    });
    this.rl.on('line', (line) => this.enqueue(line));
    this.rl.on('SIGINT', () => this.stop('interrupt'));
    this.rl.on('close', () => this.stop(this.reason ?? 'end'));
    this.rl.prompt();
  }

  /** Prints a line that did not come from the owner (a fill, a halt) and puts the prompt back as it was. */
  notify(text: string): void {
    if (this.reason !== undefined) {
      this.output.write(`${text}\n`);
      return;
    }
    if (this.terminal) {
      cursorTo(this.output, 0);
      clearLine(this.output, 0);
      this.output.write(`${text}\n`);
      if (!this.busy) this.rl.prompt(true);
      return;
    }
    // Without a terminal the prompt cannot be erased, so the line starts fresh below it.
    this.output.write(this.busy ? `${text}\n` : `\n${text}\n`);
    if (!this.busy) this.rl.prompt();
  }

  /** Stops reading; replies already asked for are still printed before `closed` resolves. */
  close(): void {
    this.stop('closed');
  }

  private enqueue(line: string): void {
    if (this.reason !== undefined) return;
    const text = line.trim();
    if (QUIT_WORDS.has(text.toLowerCase())) {
      this.stop('quit');
      return;
    }
    this.queue = this.queue.then(() => this.answer(text));
  }

  private async answer(text: string): Promise<void> {
    if (text === '') {
      if (this.reason === undefined) this.rl.prompt();
      return;
    }
    this.busy = true;
    let out: string;
    let followUp: ReplyFollowUp | undefined;
    try {
      const reply = await this.session.handle(this.chatId, text);
      followUp = reply.followUp;
      out = consoleText(reply);
      if (reply.photo !== undefined) out = [out, await this.savePhoto(reply.photo)].filter((l) => l.trim() !== '').join('\n');
    } catch (error) {
      // The session turns expected failures into replies; this is a bug, but the console keeps going.
      out = '✗ Something went wrong; the console keeps going.';
    }
    this.busy = false;
    this.output.write(`${out}\n`);
    if (this.reason === undefined) this.rl.prompt();
    if (followUp !== undefined) void this.follow(followUp);
  }

  /** Work that goes on after its reply: each progress line and then the final answer print as lines of their own. */
  private async follow(followUp: ReplyFollowUp): Promise<void> {
    followUp.onProgress((line) => this.notify(line));
    const final = await followUp.done;
    if (final === undefined) return;
    const text = consoleText(final);
    const picture = final.photo === undefined ? undefined : await this.savePhoto(final.photo);
    this.notify([text, picture].filter((l): l is string => l !== undefined && l.trim() !== '').join('\n'));
  }

  /** Saves a reply's picture and says where; a folder that cannot be written is said too, and the console goes on. */
  private async savePhoto(photo: ReplyPhoto): Promise<string> {
    try {
      const path = await savePicture(this.chartDir, photo.filename, photo.png);
      return photo.caption.trim() === '' ? `🖼 saved to ${path}` : `🖼 ${photo.caption} — saved to ${path}`;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return `✗ The picture ${photo.filename} could not be saved in ${this.chartDir}: ${why}`;
    }
  }

  private stop(reason: ConsoleCloseReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.rl.close();
    void this.queue.then(() => this.resolveClosed(reason));
  }
}
