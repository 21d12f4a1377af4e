import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { fieldMessage, message } from '../common/messages';
import { AuthUser } from '../common/scope';
import { flattenValidationErrors } from '../common/validation';
import { EvidenceService } from '../evidence/evidence.service';
import { receiveUpload } from '../evidence/multipart-upload';
import {
  BoardContactDto, CreateCertificateDto, CreateEquipmentDto, CreateStaffDto, RecordTestDto, RegisterQuery, RetireDto, UpdateCertificateDto, UpdateEquipmentDto, UpdateStaffDto,
} from '../registers/dto/register.dto';
import { RegistersService } from '../registers/registers.service';
import { SafetyBoardService } from '../registers/safety-board.service';
import { registerPage } from './register-pages';
import { registerPageView } from './register-view';
import { render, uuid, WebRequest } from './render';
import { webQuery } from './web-query';

const institutionId = uuid('institution.not_found');
const staffId = uuid('register.staff_not_found');
const certificateId = uuid('register.certificate_not_found');
const equipmentId = uuid('register.equipment_not_found');

const OK: Record<string, string> = {
  staff: '人员已保存。', certificate: '证书已保存。', equipment: '设备已保存。', test: '检验日期已保存。', retired: '已停用。', contact: '公示牌联系人已保存。',
};
const FIELD_LABELS: Record<string, string> = {
  name: '姓名/名称', roles: '岗位', post: '职务', phone: '联系电话', staffId: '持证人', certType: '证书类型', certNo: '证书编号', issuedOn: '发证日期',
  expiresOn: '有效期至', photoId: '证书照片', photo: '证书照片', file: '证书照片', kind: '设备类别', location: '位置', registrationNo: '使用登记证编号', testKind: '检验类别',
  lastDoneOn: '检验日期', reportNo: '报告编号', version: '版本', confirm: '确认', supervisorName: '属地监管责任人', supervisorPhone: '责任人电话', hotline: '监督举报电话',
};

const lineOf = (field: string, reason: string, args?: unknown[]) => `${FIELD_LABELS[field] ?? field}：${fieldMessage(reason, 'zh', args)}`;

/** A form body through the API's DTO ('' = not given); errors as readable lines. */
function formDto<T extends object>(cls: new () => T, body: Record<string, unknown>): { dto: T; errors: string[] } {
  const plain = Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== '_csrf' && k !== 'confirm' && k !== 'form' && v !== ''));
  if ('version' in plain) plain.version = Number(plain.version);
  const dto = plainToInstance(cls, plain);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  return { dto, errors: flattenValidationErrors(errors).map((i) => lineOf(i.field, i.reason, i.args)) };
}

function errorLines(err: AppError): string[] {
  return [message(err.code, 'zh', err.params), ...err.fields.map((f) => lineOf(f.field, f.reason, f.args))];
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** 人员与设备台账 pages and the 安全责任公示牌 PDF: the institution keeps its own, the bureau sees (and may correct) its subtree's. */
@ApiExcludeController()
@Controller('institutions/:id')
@Can('register.read')
export class RegisterWebController {
  constructor(private readonly registers: RegistersService, private readonly board: SafetyBoardService, private readonly evidence: EvidenceService) {}

  @Get('registers')
  async page(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() raw: Record<string, string>, @Req() req: WebRequest, @Res() res: Response) {
    const pages = { sp: pageNo(raw.sp), cp: pageNo(raw.cp), ep: pageNo(raw.ep) };
    await this.renderPage(user, id, req, res, 200, { ok: raw.ok ? OK[raw.ok] : undefined }, {}, pages);
  }

  @Get('safety-board.pdf')
  @Can('board.print')
  async boardPdf(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Res() res: Response) {
    const { pdf } = await this.board.pdf(user, id);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `inline; filename="safety-board-${id}.pdf"; filename*=UTF-8''${encodeURIComponent('安全责任公示牌')}.pdf`);
    res.type('application/pdf').send(pdf);
  }

  @Post('registers/staff')
  @Can('register.manage')
  async createStaff(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const form = { ...body, roles: asList(body.roles) };
    const { dto, errors } = formDto(CreateStaffDto, form);
    await this.act(user, id, req, res, errors, { ...flat(form), form: 'staff' }, 'staff', () => this.registers.createStaff(user, id, dto));
  }

  @Post('registers/staff/:sid')
  @Can('register.manage')
  async updateStaff(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('sid', staffId) sid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(UpdateStaffDto, { ...body, roles: asList(body.roles) });
    await this.act(user, id, req, res, errors, {}, 'staff', () => this.registers.updateStaff(user, id, sid, dto));
  }

  @Post('registers/staff/:sid/retire')
  @Can('register.manage')
  async retireStaff(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('sid', staffId) sid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(RetireDto, body);
    await this.act(user, id, req, res, [...errors, ...confirmed(body)], {}, 'retired', () => this.registers.retireStaff(user, id, sid, dto.version));
  }

  /** The certificate form: fields and an optional photo, streamed to a temporary file (nothing kept for a refused form). */
  @Post('registers/certificates')
  @Can('register.manage')
  async createCertificate(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Req() req: WebRequest, @Res() res: Response) {
    const received = await receiveUpload(req, {
      fileField: 'photo', maxBytes: this.evidence.maxBytes, maxMb: this.evidence.maxMb, dir: this.evidence.incomingDir,
      beforeFile: () => this.registers.assertMayManage(user, id),
    });
    try {
      const body = received.fields;
      const draft = { ...body, form: 'certificate' };
      const { dto, errors } = formDto(CreateCertificateDto, body);
      await this.act(user, id, req, res, errors, draft, 'certificate', async () => {
        const upload = received.file?.size ? { buffer: await fs.promises.readFile(received.file.path), originalName: received.file.originalName ?? undefined } : undefined;
        return this.registers.createCertificate(user, id, dto, upload);
      });
    } finally {
      await received.discard();
    }
  }

  @Post('registers/certificates/:cid')
  @Can('register.manage')
  async updateCertificate(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('cid', certificateId) cid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    // an emptied 有效期至 means "no expiry" (null), not "unchanged"
    const { dto, errors } = formDto(UpdateCertificateDto, body);
    if (body.expiresOn === '') dto.expiresOn = null;
    await this.act(user, id, req, res, errors, {}, 'certificate', () => this.registers.updateCertificate(user, id, cid, dto));
  }

  @Post('registers/certificates/:cid/retire')
  @Can('register.manage')
  async retireCertificate(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('cid', certificateId) cid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(RetireDto, body);
    await this.act(user, id, req, res, [...errors, ...confirmed(body)], {}, 'retired', () => this.registers.retireCertificate(user, id, cid, dto.version));
  }

  @Post('registers/equipment')
  @Can('register.manage')
  async createEquipment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(CreateEquipmentDto, body);
    await this.act(user, id, req, res, errors, { ...flat(body), form: 'equipment' }, 'equipment', () => this.registers.createEquipment(user, id, dto));
  }

  @Post('registers/equipment/:eid')
  @Can('register.manage')
  async updateEquipment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('eid', equipmentId) eid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(UpdateEquipmentDto, body);
    await this.act(user, id, req, res, errors, {}, 'equipment', () => this.registers.updateEquipment(user, id, eid, dto));
  }

  @Post('registers/equipment/:eid/retire')
  @Can('register.manage')
  async retireEquipment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('eid', equipmentId) eid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(RetireDto, body);
    await this.act(user, id, req, res, [...errors, ...confirmed(body)], {}, 'retired', () => this.registers.retireEquipment(user, id, eid, dto.version));
  }

  /** A new statutory date or a renewal: the form does not know the record's version, so it is looked up here. */
  @Post('registers/equipment/:eid/tests')
  @Can('register.manage')
  async recordTest(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('eid', equipmentId) eid: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(RecordTestDto, body);
    await this.act(user, id, req, res, errors, {}, 'test', async () => {
      if (dto.version === undefined) dto.version = await this.registers.testVersion(user, id, eid, dto.testKind);
      return this.registers.recordTest(user, id, eid, dto);
    });
  }

  @Post('registers/board-contact')
  @Can('register.manage')
  async setContact(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() body: Record<string, unknown>, @Req() req: WebRequest, @Res() res: Response) {
    const { dto, errors } = formDto(BoardContactDto, body);
    await this.act(user, id, req, res, errors, { ...flat(body), form: 'contact' }, 'contact', () => this.board.setContact(user, id, dto));
  }

  /** Runs a change; a refusal the user can act on is shown on the register page (with what was typed), anything else goes to the error page. */
  private async act(user: AuthUser, id: string, req: WebRequest, res: Response, errors: string[], draft: Record<string, string>, ok: string, work: () => Promise<unknown>) {
    if (errors.length) return this.renderPage(user, id, req, res, 400, { errors }, draft);
    try {
      await work();
      res.redirect(303, `/institutions/${id}/registers?ok=${ok}`);
    } catch (err) {
      if (!(err instanceof AppError) || (err.status === 404 && err.code === 'institution.not_found') || err.status >= 500) throw err;
      await this.renderPage(user, id, req, res, err.status, { errors: errorLines(err) }, draft);
    }
  }

  private async renderPage(user: AuthUser, id: string, req: WebRequest, res: Response, status: number, flash: { ok?: string; errors?: string[] }, draft: Record<string, string>, pages = { sp: 1, cp: 1, ep: 1 }) {
    const institution = await this.registers.institution(user, id);
    const q = (page: number) => webQuery(RegisterQuery, { page: String(page) }, []).query;
    const [staff, certificates, equipment, holders, boardData, contact] = await Promise.all([
      this.registers.staff(user, id, q(pages.sp)), this.registers.certificates(user, id, q(pages.cp)), this.registers.equipment(user, id, q(pages.ep)),
      this.registers.currentStaff(user, id), this.board.data(user, id), this.board.contact(user, id),
    ]);
    const view = registerPageView(user, {
      institution: { id, name: institution.name }, staff, certificates, equipment, holders, boardMissing: this.board.missing(boardData), contact, pages,
    }, req.csrfToken ?? '', flash, draft);
    render(res, { status, title: `人员与设备台账 · ${institution.name}`, user, body: registerPage(view), crumbs: [view.back] });
  }
}

function pageNo(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** The confirmation step of an irreversible action: the box must be ticked. */
function confirmed(body: Record<string, unknown>): string[] {
  return body.confirm === 'yes' ? [] : ['确认：请勾选“我确认停用”后再提交'];
}

function flat(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf').map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]));
}
