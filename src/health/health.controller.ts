import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { JobsService } from '../jobs/jobs.service';

async function check(fn: () => Promise<unknown>, ms = 3000): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health 运行状态')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource, private readonly jobs: JobsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '数据库与队列状态 / database and queue status' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, queue] = await Promise.all([check(() => this.dataSource.query('SELECT 1')), check(() => this.jobs.counts())]);
    const ok = database === 'up' && queue === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'degraded', database, queue };
  }
}
