import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** 账号 and 审计日志 pages (/accounts…, /audit…), admin only. */
@ApiExcludeController()
@Controller()
export class AccountWebController {}
