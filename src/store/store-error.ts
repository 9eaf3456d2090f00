/** Errors of the run store: a file that is not a store, a newer schema, a missing run. */
import { HedgekitError } from '../core/errors.ts';

/**
 * The run store could not be used as asked: `file: reason` (not a hedgekit store, written by a
 * newer hedgekit, corrupt) or `run N: not found`. Never thrown half-way through a write: a failed
 * save rolls back and leaves the file as it was.
 */
export class StoreError extends HedgekitError {
  readonly file: string;
  constructor(file: string, message: string, code = 'store') {
    super(code, `${file}: ${message}`);
    this.file = file;
  }
}
