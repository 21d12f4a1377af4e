/**
 * 人员与设备台账 page — the view model: what the page shows and what the viewer may do, decided here (from
 * `can(user, action)` and the role) so the template only renders and a form is never shown to someone the service
 * would refuse.
 */
import { can } from '../auth/permissions';
import { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { label, labelEntries } from '../common/vocabulary';
import type { ExpiryStatus } from '../registers/domain/register-rules';
import { TESTS_OF } from '../registers/domain/register-rules';
import type { BoardContactRow, CertificateRow, StaffRow } from '../registers/registers.repository';
import type { EquipmentView, WithStatus } from '../registers/registers.service';
import type { Flash, Link } from './view-common';

export interface Chip {
  text: string;
  /** shown as a warning (7天内到期, 已过期) */
  warn: boolean;
}

export interface RegisterPageView {
  institution: { id: string; name: string };
  back: Link;
  csrf: string;
  flash: Flash;
  can: {
    /** add, edit and retire entries */
    manage: boolean;
    /** download the 公示牌 */
    print: boolean;
    /** set the 属地监管责任人 and the hotline (the bureau only) */
    setContact: boolean;
  };
  staff: Page<StaffRow & { roleLabels: string }>;
  certificates: Page<WithStatus<CertificateRow> & { chip: Chip; typeLabel: string; photoHref: string | null }>;
  equipment: Page<Omit<EquipmentView, 'tests'> & { kindLabel: string; tests: (EquipmentView['tests'][number] & { chip: Chip; kindLabel: string })[]; testOptions: [string, string][] }>;
  holders: { id: string; name: string }[];
  options: { roles: [string, string][]; certTypes: [string, string][]; equipmentKinds: [string, string][] };
  board: { missing: string[]; contact: BoardContactRow | null; pdfHref: string };
  /** pager links per section (null: no such page) */
  pager: Record<'staff' | 'certificates' | 'equipment', { prev: string | null; next: string | null }>;
  /** what was typed into a refused form, to show again */
  draft: Record<string, string>;
}

export function expiryChip(status: ExpiryStatus): Chip {
  return { text: label('expiryStatus', status), warn: status === 'expiring_soon' || status === 'expired' };
}

export interface RegisterPageData {
  institution: { id: string; name: string };
  staff: Page<StaffRow>;
  certificates: Page<WithStatus<CertificateRow>>;
  equipment: Page<EquipmentView>;
  holders: StaffRow[];
  boardMissing: string[];
  contact: BoardContactRow | null;
  /** the current page of each section */
  pages: { sp: number; cp: number; ep: number };
}

export function registerPageView(user: AuthUser, d: RegisterPageData, csrf: string, flash: Flash = {}, draft: Record<string, string> = {}): RegisterPageView {
  const id = d.institution.id;
  const link = (pages: { sp: number; cp: number; ep: number }) => `/institutions/${id}/registers?${new URLSearchParams({ sp: String(pages.sp), cp: String(pages.cp), ep: String(pages.ep) }).toString()}`;
  const pagerOf = (page: Page<unknown>, key: 'sp' | 'cp' | 'ep') => {
    const last = Math.max(1, Math.ceil(page.total / page.pageSize));
    return {
      prev: page.page > 1 ? link({ ...d.pages, [key]: page.page - 1 }) : null,
      next: page.page < last ? link({ ...d.pages, [key]: page.page + 1 }) : null,
    };
  };
  const manage = can(user, 'register.manage');
  return {
    institution: d.institution,
    back: user.role === 'institution' ? { href: '/workspace', label: '机构工作台' } : { href: `/institutions/${id}`, label: d.institution.name },
    csrf, flash, draft,
    can: { manage, print: can(user, 'board.print'), setContact: manage && user.role !== 'institution' },
    staff: { ...d.staff, items: d.staff.items.map((s) => ({ ...s, roleLabels: s.roles.map((r) => label('staffRole', r)).join('、') })) },
    certificates: {
      ...d.certificates,
      items: d.certificates.items.map((c) => ({
        ...c, chip: expiryChip(c.status), typeLabel: label('certificateType', c.certType),
        photoHref: c.photoEvidenceId ? `/api/institutions/${id}/registers/certificates/${c.id}/photo` : null,
      })),
    },
    equipment: {
      ...d.equipment,
      items: d.equipment.items.map((e) => ({
        ...e, kindLabel: label('equipmentKind', e.kind),
        tests: e.tests.map((t) => ({ ...t, chip: expiryChip(t.status), kindLabel: label('statutoryTestKind', t.testKind) })),
        testOptions: TESTS_OF[e.kind].map((k) => [k, label('statutoryTestKind', k)] as [string, string]),
      })),
    },
    holders: d.holders.map((s) => ({ id: s.id, name: s.name })),
    options: { roles: labelEntries('staffRole'), certTypes: labelEntries('certificateType'), equipmentKinds: labelEntries('equipmentKind') },
    board: { missing: d.boardMissing, contact: d.contact, pdfHref: `/institutions/${id}/safety-board.pdf` },
    pager: { staff: pagerOf(d.staff, 'sp'), certificates: pagerOf(d.certificates, 'cp'), equipment: pagerOf(d.equipment, 'ep') },
  };
}
