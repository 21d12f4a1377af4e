import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';

@Module({ imports: [DivisionsModule, InspectionsModule], controllers: [ExportsController], providers: [ExportsRepository] })
export class ExportsModule {}
