import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class HealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One round trip to the database (throws when it does not answer). */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
