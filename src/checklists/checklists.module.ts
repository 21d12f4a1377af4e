import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { InstitutionsModule } from '../institutions/institutions.module';
import { ChecklistsController } from './checklists.controller';
import { ChecklistsRepository } from './checklists.repository';
import { ChecklistsService } from './checklists.service';
import { PolicyService } from './policy.service';
import { SafetyWorkPolicyService } from './safety-work-policy.service';
import { CreditRulesService } from './credit-rules.service';

@Module({
  imports: [AuditModule, InstitutionsModule],
  controllers: [ChecklistsController],
  providers: [ChecklistsRepository, ChecklistsService, PolicyService, SafetyWorkPolicyService, CreditRulesService],
  exports: [ChecklistsService, PolicyService, SafetyWorkPolicyService, CreditRulesService],
})
export class ChecklistsModule implements OnApplicationBootstrap {
  constructor(private readonly policies: PolicyService, private readonly safetyWork: SafetyWorkPolicyService, private readonly credit: CreditRulesService) {}

  /**
   * Runs after the providers' hooks, i.e. after ChecklistsService published the rule files: the start fails when no
   * product policy, safety-work policy or credit rules file is in force or LOCAL_RULE_SET names a rule set that is not published.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.policies.verify();
    await this.safetyWork.current();
    await this.credit.current();
  }
}
