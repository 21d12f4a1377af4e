import { Module } from '@nestjs/common';
import { PartitionsRepository } from './partitions.repository';
import { PartitionsService } from './partitions.service';

/** 分区维护: the daily job that creates the history tables' monthly partitions ahead. */
@Module({ providers: [PartitionsRepository, PartitionsService], exports: [PartitionsService] })
export class PartitionsModule {}
