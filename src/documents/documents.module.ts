import { Module } from '@nestjs/common';
import { DocumentNumbers } from './document-numbers';

@Module({ providers: [DocumentNumbers], exports: [DocumentNumbers] })
export class DocumentsModule {}
