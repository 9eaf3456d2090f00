/** Writes a report file (creating its folder). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildHtmlReport, type ReportInput } from './report-html.ts';
import { buildSweepReport, type SweepReportInput } from './sweep-report-html.ts';

/** What was written. */
export interface WrittenReport {
  readonly file: string;
  readonly bytes: number;
  readonly charts: number;
}

/**
 * Builds the HTML report of `input` and writes it to `file`.
 * @throws Error from the file system (the CLI names the file)
 */
export function writeHtmlReport(file: string, input: ReportInput): WrittenReport {
  const { html, charts } = buildHtmlReport(input);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html), charts: charts.length };
}

/**
 * Builds the HTML report of a sweep and writes it to `file`.
 * @throws DomainError for bad heat-map axes; Error from the file system (the CLI names the file)
 */
export function writeSweepHtmlReport(file: string, input: SweepReportInput): WrittenReport {
  const { html, charts } = buildSweepReport(input);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html), charts: charts.length };
}
