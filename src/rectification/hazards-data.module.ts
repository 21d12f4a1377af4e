import { Module } from '@nestjs/common';
import { HazardsRepository } from './hazards.repository';

/** Hazard storage, shared by inspections (which create hazards) and the rectification loop (which moves them). */
@Module({ providers: [HazardsRepository], exports: [HazardsRepository] })
export class HazardsDataModule {}
