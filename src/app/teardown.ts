/**
 * The order the bot stops in, whatever order it started in: what feeds it goes quiet first, the order workers finish the
 * jobs in hand while the kernel still hears their answers, the kernel saves, then storage, the exchange, and the chat
 * last (so it can still tell the owner). Within a stage, later registrations stop first.
 */
const STAGES = ['inputs', 'workers', 'kernel', 'storage', 'venue', 'chat'] as const;
export type TeardownStage = (typeof STAGES)[number];

interface Step {
  readonly stage: TeardownStage;
  readonly name: string;
  readonly run: () => unknown;
}

/** Everything a start opened, closed in stage order; a step that fails is logged and the others still run. */
export class Teardown {
  private readonly steps: Step[] = [];
  private done: Promise<void> | undefined;

  constructor(private readonly log: { error(obj: object, msg: string): void }) {}

  add(stage: TeardownStage, name: string, run: () => unknown): void {
    this.steps.push({ stage, name, run });
  }

  /** Runs every step once (later calls share the first run), so nothing is left holding a socket or the process open. */
  run(): Promise<void> {
    this.done ??= (async () => {
      for (const stage of STAGES) {
        for (const step of this.steps.filter((s) => s.stage === stage).reverse()) {
          try {
            await step.run();
          } catch (error) {
            this.log.error({ err: error, step: step.name }, 'a shutdown step failed');
          }
        }
      }
    })();
    return this.done;
  }
}
