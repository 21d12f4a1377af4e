import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { sendStoredFile } from '../common/send-file';
import { EvidenceService } from '../evidence/evidence.service';
import { receiveUpload } from '../evidence/multipart-upload';
import {
  BoardContactDto, CreateCertificateDto, CreateEquipmentDto, CreateStaffDto, RecordTestDto, RegisterQuery, RetireDto, UpdateCertificateDto, UpdateEquipmentDto, UpdateStaffDto,
} from './dto/register.dto';
import { RegistersService } from './registers.service';
import { SafetyBoardService } from './safety-board.service';

const pipe = (code: string) => new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(code) });
const institutionId = pipe('institution.not_found');
const staffId = pipe('register.staff_not_found');
const certificateId = pipe('register.certificate_not_found');
const equipmentId = pipe('register.equipment_not_found');

/** 人员与设备台账 (staff, certificates, equipment and statutory dates) and the 公示牌 contacts of one institution. */
@ApiTags('registers 人员与设备台账')
@ApiBearerAuth()
@Controller('api/institutions/:id')
@Can('register.read')
export class RegistersController {
  constructor(private readonly registers: RegistersService, private readonly board: SafetyBoardService, private readonly evidence: EvidenceService) {}

  @Get('registers/staff')
  @ApiOperation({ summary: '在岗人员（分页；state=retired 查看已离岗）/ staff' })
  staff(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: RegisterQuery) {
    return this.registers.staff(user, id, query);
  }

  @Post('registers/staff')
  @Can('register.manage')
  @ApiOperation({ summary: '登记人员及岗位（安全责任人、安全员须填电话）/ add a staff member' })
  createStaff(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: CreateStaffDto) {
    return this.registers.createStaff(user, id, dto);
  }

  @Patch('registers/staff/:sid')
  @Can('register.manage')
  @ApiOperation({ summary: '修改人员信息 / edit a staff member' })
  updateStaff(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('sid', staffId) sid: string, @Body() dto: UpdateStaffDto) {
    return this.registers.updateStaff(user, id, sid, dto);
  }

  @Post('registers/staff/:sid/retire')
  @Can('register.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '离岗（其证书一并停用）/ retire a staff member and their certificates' })
  retireStaff(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('sid', staffId) sid: string, @Body() dto: RetireDto) {
    return this.registers.retireStaff(user, id, sid, dto.version);
  }

  @Get('registers/certificates')
  @ApiOperation({ summary: '证书（分页，按到期日排序，含状态）/ certificates with their status' })
  certificates(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: RegisterQuery) {
    return this.registers.certificates(user, id, query);
  }

  @Post('registers/photos')
  @Can('register.manage')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: '上传证书照片（登记证书时引用其 id）/ upload a certificate photo' })
  async uploadPhoto(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Req() req: Request) {
    const received = await receiveUpload(req, {
      fileField: 'file', maxBytes: this.evidence.maxBytes, maxMb: this.evidence.maxMb, dir: this.evidence.incomingDir,
      beforeFile: () => this.registers.assertMayManage(user, id),
    });
    try {
      const data = received.file ? await fs.promises.readFile(received.file.path) : undefined;
      return await this.registers.uploadPhoto(user, id, data, received.file?.originalName ?? undefined);
    } finally {
      await received.discard();
    }
  }

  @Post('registers/certificates')
  @Can('register.manage')
  @ApiOperation({ summary: '登记证书 / add a certificate' })
  createCertificate(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: CreateCertificateDto) {
    return this.registers.createCertificate(user, id, dto);
  }

  @Patch('registers/certificates/:cid')
  @Can('register.manage')
  @ApiOperation({ summary: '更正或续期证书（新的到期日重新开始提醒）/ correct or renew a certificate' })
  updateCertificate(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('cid', certificateId) cid: string, @Body() dto: UpdateCertificateDto) {
    return this.registers.updateCertificate(user, id, cid, dto);
  }

  @Post('registers/certificates/:cid/retire')
  @Can('register.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '停用证书 / retire a certificate' })
  retireCertificate(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('cid', certificateId) cid: string, @Body() dto: RetireDto) {
    return this.registers.retireCertificate(user, id, cid, dto.version);
  }

  @Get('registers/certificates/:cid/photo')
  @ApiOperation({ summary: '证书照片 / the certificate photo' })
  async photo(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('cid', certificateId) cid: string, @Res() res: Response) {
    const file = await this.registers.photo(user, id, cid);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendStoredFile(res.type(file.mime), file.path, 'register.photo_not_found');
  }

  @Get('registers/equipment')
  @ApiOperation({ summary: '设备及法定检验日期（分页，含状态）/ equipment with statutory dates' })
  equipment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: RegisterQuery) {
    return this.registers.equipment(user, id, query);
  }

  @Post('registers/equipment')
  @Can('register.manage')
  @ApiOperation({ summary: '登记设备 / add equipment' })
  createEquipment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: CreateEquipmentDto) {
    return this.registers.createEquipment(user, id, dto);
  }

  @Patch('registers/equipment/:eid')
  @Can('register.manage')
  @ApiOperation({ summary: '修改设备信息 / edit equipment' })
  updateEquipment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('eid', equipmentId) eid: string, @Body() dto: UpdateEquipmentDto) {
    return this.registers.updateEquipment(user, id, eid, dto);
  }

  @Post('registers/equipment/:eid/retire')
  @Can('register.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '停用设备 / retire equipment' })
  retireEquipment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('eid', equipmentId) eid: string, @Body() dto: RetireDto) {
    return this.registers.retireEquipment(user, id, eid, dto.version);
  }

  @Post('registers/equipment/:eid/tests')
  @Can('register.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '登记或更新法定检验（检验、年度检测、维保合同、维修保养）/ record or renew a statutory date' })
  recordTest(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('eid', equipmentId) eid: string, @Body() dto: RecordTestDto) {
    return this.registers.recordTest(user, id, eid, dto);
  }

  @Get('finding-candidates')
  @ApiOperation({ summary: '过期证书与法定检验（按检查项分组，供检查时确认）/ expired certificates and tests by checklist item' })
  findingCandidates(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string) {
    return this.registers.findingCandidates(user, id);
  }

  @Get('safety-board/contact')
  @ApiOperation({ summary: '公示牌：属地监管责任人与监督举报电话 / the board\'s bureau contacts' })
  async contact(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string) {
    return { contact: await this.board.contact(user, id) };
  }

  @Put('safety-board/contact')
  @Can('register.manage')
  @ApiOperation({ summary: '设置属地监管责任人与监督举报电话（主管部门）/ set the board\'s bureau contacts (bureau)' })
  setContact(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: BoardContactDto) {
    return this.board.setContact(user, id, dto);
  }
}
