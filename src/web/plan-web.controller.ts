import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** 检查计划 and 双随机 pages (/plans…). */
@ApiExcludeController()
@Controller()
export class PlanWebController {}
