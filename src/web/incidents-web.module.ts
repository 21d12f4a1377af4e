import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { ScoringModule } from '../scoring/scoring.module';
import { IncidentWebController } from './incident-web.controller';

/** 突发事件 pages (issue 16). Loaded by HTTP processes only, like WebModule. */
@Module({
  imports: [IncidentsModule, ScoringModule],
  controllers: [IncidentWebController],
})
export class IncidentsWebModule {}
