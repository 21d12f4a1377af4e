import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** 等级评定 pages (/grades…). */
@ApiExcludeController()
@Controller()
export class GradeWebController {}
