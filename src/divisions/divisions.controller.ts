import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from './divisions.service';
import { DivisionQuery } from './dto/division-query.dto';

@ApiTags('divisions 行政区划')
@ApiBearerAuth()
@Controller('api/divisions')
export class DivisionsController {
  constructor(private readonly divisions: DivisionsService) {}

  @Get()
  @ApiOperation({ summary: '管辖范围内的行政区划 / divisions in your scope' })
  list(@CurrentUser() user: AuthUser, @Query() query: DivisionQuery) {
    return this.divisions.list(scopeOf(user), query);
  }
}
