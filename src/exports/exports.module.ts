import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';

@Module({ imports: [DivisionsModule], controllers: [ExportsController], providers: [ExportsRepository] })
export class ExportsModule {}
