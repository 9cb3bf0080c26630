/** The botocore model as the generator reads it (only what it uses). */
export interface XrayModel {
  readonly operations: Readonly<Record<string, unknown>>;
  readonly shapes: Readonly<Record<string, unknown>>;
}

/** packages/server/model/xray-2016-04-12.json */
export const MODEL_FILE: string;
/** packages/contracts/src/xray.generated.ts */
export const OUTPUT_FILE: string;

/** The generated file, formatted with the repo's Prettier config. */
export function renderXrayTypes(model?: XrayModel): Promise<string>;
/** The generated TypeScript before formatting. */
export function renderSource(model: XrayModel): string;
export function readModel(): XrayModel;
/** The first sentence of a piece of the model's HTML documentation, as plain text. */
export function firstSentence(html: string): string;
