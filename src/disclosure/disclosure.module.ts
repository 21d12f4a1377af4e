import { Module } from '@nestjs/common';
import { DisclosureController } from './disclosure.controller';
import { DisclosureRepository } from './disclosure.repository';

@Module({ controllers: [DisclosureController], providers: [DisclosureRepository] })
export class DisclosureModule {}
