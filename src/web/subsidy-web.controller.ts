import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** 运营补贴 pages (/subsidies…). */
@ApiExcludeController()
@Controller()
export class SubsidyWebController {}
