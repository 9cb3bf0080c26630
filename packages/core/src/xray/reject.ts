/**
 * Why a segment document was refused. The first four codes are the ones X-Ray is known to return
 * (spec §1.13); the rest name the other things that can be wrong with a document, one code each,
 * so that a rejection can be counted by reason and acted on without reading the message.
 */
export const REJECT_CODES = [
  'InvalidTraceId',
  'InvalidName',
  'MissingName',
  'MissingEndTime',
  'InvalidJson',
  'DocumentTooLarge',
  'InvalidDocument',
  'MissingId',
  'InvalidId',
  'MissingTraceId',
  'MissingParentId',
  'InvalidParentId',
  'MissingStartTime',
  'InvalidStartTime',
  'InvalidEndTime',
  'InvalidFieldType',
] as const;

export type RejectCode = (typeof REJECT_CODES)[number];

/** One refused document: its ID when it could be read, a stable code, and what is wrong. */
export interface Rejection {
  readonly id: string | null;
  readonly code: RejectCode;
  readonly message: string;
}
