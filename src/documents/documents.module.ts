import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { DocumentCountersRepository } from './document-counters.repository';
import { DocumentNumbers } from './document-numbers';
import { IssuingBureaus } from './issuing-bureau';

/** Document numbering and the issuing bureau (发文机关) printed on every document. */
@Module({
  imports: [DivisionsModule],
  providers: [DocumentCountersRepository, DocumentNumbers, IssuingBureaus],
  exports: [DocumentNumbers, IssuingBureaus],
})
export class DocumentsModule {}
