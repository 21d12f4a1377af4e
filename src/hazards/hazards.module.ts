import { Module } from '@nestjs/common';
import { HazardSummariesRepository } from './hazard-summaries.repository';
import { HazardSummariesService } from './hazard-summaries.service';
import { HazardsRepository } from './hazards.repository';

/**
 * Hazard storage (隐患): beneath both inspections (which create hazards) and the rectification loop (which moves
 * them), so neither imports the other for hazards.
 */
@Module({ providers: [HazardsRepository, HazardSummariesRepository, HazardSummariesService], exports: [HazardsRepository, HazardSummariesService] })
export class HazardsModule {}
