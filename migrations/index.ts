import { Foundation1763856000000 } from './1763856000000-Foundation';

/** Every migration, in order. Listed explicitly so ts-node, tsc output and jest all see the same set. */
export const MIGRATIONS = [Foundation1763856000000];
