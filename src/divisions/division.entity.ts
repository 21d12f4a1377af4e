import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DivisionLevel = 'province' | 'city' | 'district' | 'street' | 'community';

/** 行政区划 — an administrative division (GB/T 2260 code; streets use the 9-digit statistical code). */
@Entity('division')
export class Division {
  @PrimaryColumn() code: string;
  @Column() name: string;
  @Column({ type: 'varchar' }) level: DivisionLevel;
  @Column({ type: 'varchar', nullable: true }) parentCode: string | null;
  /** '/320400/320402/': the ancestors and the division itself. */
  @Column() path: string;
}
