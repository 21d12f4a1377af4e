import { getMetadataArgsStorage } from 'typeorm';
import { Inspection } from './inspection.entity';
import { INSPECTION_COLUMNS } from './inspections.repository';

// findById selects the entity's columns by hand (plain SQL on the submission path): a column added to the entity
// must be added there too, or the hot path would silently return it as undefined.
describe('INSPECTION_COLUMNS', () => {
  it('names every column of the Inspection entity except the draft', () => {
    const properties = getMetadataArgsStorage().columns.filter((c) => c.target === Inspection).map((c) => c.propertyName);
    expect(properties.length).toBeGreaterThan(10);
    const selected = new Set([...INSPECTION_COLUMNS.matchAll(/(?:AS "(\w+)"|i\.(\w+)(?=\s*(?:,|$)))/g)].map((m) => m[1] ?? m[2]));
    expect(properties.filter((p) => p !== 'draft' && !selected.has(p))).toEqual([]);
  });
});
