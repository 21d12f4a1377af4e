import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { UsersModule } from '../users/users.module';
import { RectificationModule } from '../rectification/rectification.module';
import { ScoringModule } from '../scoring/scoring.module';
import { DevicesModule } from '../devices/devices.module';
import { DemoRepository } from './demo.repository';
import { DemoSeeder } from './demo.seeder';

@Module({
  imports: [AuditModule, DevicesModule, DivisionsModule, InspectionsModule, InstitutionsModule, RectificationModule, ScoringModule, UsersModule],
  providers: [DemoRepository, DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoModule {}
