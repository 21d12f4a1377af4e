import { Module } from '@nestjs/common';
import { HazardsRepository } from './hazards.repository';

/**
 * Hazard storage (隐患): beneath both inspections (which create hazards) and the rectification loop (which moves
 * them), so neither imports the other for hazards.
 */
@Module({ providers: [HazardsRepository], exports: [HazardsRepository] })
export class HazardsModule {}
