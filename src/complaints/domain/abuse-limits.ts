/**
 * 防滥用: how many complaints one network address may file, and the size of one complaint, from the safety-work
 * policy (`complaints.*`). Pure: the caller counts and passes the numbers.
 */
import type { FieldIssue } from '../../common/app-error';

export interface ComplaintLimits {
  perAddressPerHour: number;
  perAddressPerDay: number;
  maxDescriptionChars: number;
  maxPhotos: number;
  maxPhotoBytes: number;
}

/** null when the address may file one more, else the minutes to wait (an hour's or a day's window). */
export function rateRefusal(filed: { lastHour: number; lastDay: number }, limits: Pick<ComplaintLimits, 'perAddressPerHour' | 'perAddressPerDay'>): { minutes: number } | null {
  if (filed.lastDay >= limits.perAddressPerDay) return { minutes: 24 * 60 };
  if (filed.lastHour >= limits.perAddressPerHour) return { minutes: 60 };
  return null;
}

/** The size limits of the text (characters, not bytes: Chinese text) and of the photos, each naming its field. */
export function sizeIssues(input: { description: string; photos: { size: number }[] }, limits: Pick<ComplaintLimits, 'maxDescriptionChars' | 'maxPhotos' | 'maxPhotoBytes'>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if ([...input.description].length > limits.maxDescriptionChars) issues.push({ field: 'description', reason: 'maxLength', args: [limits.maxDescriptionChars] });
  if (input.photos.length > limits.maxPhotos) issues.push({ field: 'photos', reason: 'complaintTooManyPhotos', args: [limits.maxPhotos] });
  if (input.photos.some((p) => p.size > limits.maxPhotoBytes)) issues.push({ field: 'photos', reason: 'complaintPhotoTooLarge', args: [mb(limits.maxPhotoBytes)] });
  return issues;
}

export function mb(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 10) / 10);
}
