/**
 * Writes the reference processes (processes/*.bpmn) and their forms (processes/forms/*.form) from
 * the descriptions in processes/tools. Edit the descriptions, not the output, then run:
 *
 *   npx tsx processes/tools/generate.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toXml } from './bpmn/xml.js';
import { complaintHandling } from './complaint-handling.js';
import { complaintForms } from './forms/complaint-forms.js';
import { journeyForms } from './forms/journey-forms.js';
import { riskForms } from './forms/risk-forms.js';
import { riskPortfolioReview } from './risk-portfolio-review.js';
import { riskResponse } from './risk-response.js';
import { serviceJourney } from './service-journey.js';

const ROOT = join(import.meta.dirname, '..');

for (const build of [complaintHandling, serviceJourney, riskResponse, riskPortfolioReview]) {
  const { spec } = build();
  write(join(ROOT, `${spec.id}.bpmn`), toXml(spec));
}
mkdirSync(join(ROOT, 'forms'), { recursive: true });
for (const schema of [...complaintForms(), ...journeyForms(), ...riskForms()]) {
  write(join(ROOT, 'forms', `${schema.id}.form`), `${JSON.stringify(schema, null, 2)}\n`);
}

function write(file: string, content: string): void {
  writeFileSync(file, content);
  console.log(`wrote ${file}`);
}
