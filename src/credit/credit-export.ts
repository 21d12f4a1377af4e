import type { Response } from 'express';
import type { CreditRulesVersion } from '../checklists/domain/credit-rules';
import { Column, csvHeader, csvLine } from '../reports/tabular';
import type { CreditRow } from './credit.service';

/** The columns of the credit list export (Chinese headers). */
export const CREDIT_COLUMNS = (version: CreditRulesVersion, asOf: string): Column<CreditRow>[] => [
  { key: 'name', header: '机构名称', value: (r) => r.name },
  { key: 'division', header: '所在街道（乡镇）', value: (r) => r.divisionName },
  { key: 'points', header: '信用分', value: (r) => r.points },
  { key: 'level', header: '信用等级', value: (r) => r.levelLabelZh },
  { key: 'dishonest', header: '失信认定', value: (r) => (r.dishonest ? `生效中（${r.dishonestSince} 认定）` : '无') },
  { key: 'stratum', header: '抽查分层', value: (r) => r.stratumLabelZh },
  { key: 'inspections', header: '每年计划检查次数', value: (r) => r.inspectionsPerYear },
  { key: 'counted', header: '本年已检查（含已安排）', value: (r) => r.frequency.counted },
  { key: 'due', header: '按频次应安排检查', value: (r) => (r.frequency.due ? `是（截至评价日应 ${r.frequency.expected} 次）` : '否') },
  { key: 'subsidy', header: '运营补贴', value: (r) => (!r.subsidy.eligible ? '不予补贴' : r.subsidy.reductionPercent > 0 ? `减发 ${r.subsidy.reductionPercent}%` : '全额') },
  { key: 'asOf', header: '评价日', value: () => asOf },
  { key: 'rules', header: '信用评价规则版本', value: () => `${version.code} 第 ${version.versionNo} 版` },
];

/** The whole export, computed before the first byte is sent (an error is still a clean 4xx/5xx). */
export function creditCsv(res: Response, data: { rows: CreditRow[]; version: CreditRulesVersion; asOf: string }): void {
  const columns = CREDIT_COLUMNS(data.version, data.asOf);
  const body = csvHeader(columns) + data.rows.map((r) => csvLine(columns, r)).join('');
  const filename = `信用等级_${data.asOf}.csv`;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="credit.csv"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.send(body);
}
