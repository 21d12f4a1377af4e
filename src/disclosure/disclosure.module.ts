import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { DisclosureController } from './disclosure.controller';
import { DisclosureRepository } from './disclosure.repository';

@Module({ imports: [ScoringModule], controllers: [DisclosureController], providers: [DisclosureRepository] })
export class DisclosureModule {}
