import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { PendingPasswords } from './one-time-password';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule, DivisionsModule, InstitutionsModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PendingPasswords],
  exports: [UsersService, UsersRepository, PendingPasswords],
})
export class UsersModule {}
