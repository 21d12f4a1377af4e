import { Injectable } from '@nestjs/common';
import { DivisionsService } from '../divisions/divisions.service';

/** 发文机关: the bureau that issues documents (records, notices, schedules) about a place. */
export interface IssuingBureau {
  /** The counter key of its document numbers: the division codes, e.g. `320400/320402`. */
  series: string;
  /** The full name printed on documents, e.g. 常州市天宁区民政局. */
  name: string;
  /** The short name in document numbers, e.g. 常天. */
  abbreviation: string;
}

/**
 * The issuing bureau of a division path: the bureau of its district (the first two levels: city and district),
 * or of the city for a city-level path; `nameOf` gives a division's name by its code.
 */
export function issuingBureau(divisionPath: string, nameOf: (code: string) => string): IssuingBureau {
  const codes = bureauCodes(divisionPath);
  const names = codes.map(nameOf);
  return { series: codes.join('/'), name: `${names.join('')}民政局`, abbreviation: bureauAbbreviation(names) };
}

/** The division codes of the issuing bureau's levels (city, district) of a path. */
export function bureauCodes(divisionPath: string): string[] {
  return divisionPath.split('/').filter(Boolean).slice(0, 2);
}

/** The issuing bureau's short name from its division names: 常州市 → 常; 常州市/天宁区 → 常天. */
export function bureauAbbreviation(divisionNames: string[]): string {
  return divisionNames.slice(0, 2).map((n) => n.charAt(0)).join('');
}

/** Looks up the division names behind `issuingBureau` (cached by DivisionsService: divisions change only by data load). */
@Injectable()
export class IssuingBureaus {
  constructor(private readonly divisions: DivisionsService) {}

  async of(divisionPath: string): Promise<IssuingBureau> {
    const names = new Map(await Promise.all(bureauCodes(divisionPath).map(async (c) => [c, (await this.divisions.find(c))?.name ?? ''] as const)));
    return issuingBureau(divisionPath, (code) => names.get(code) ?? '');
  }
}
