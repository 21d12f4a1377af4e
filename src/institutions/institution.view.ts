import type { Institution } from './institution.entity';

/** The API shape of an institution: the row without internal scope columns. */
export function toInstitutionView(i: Institution) {
  const { divisionPath: _path, ...view } = i;
  return view;
}
