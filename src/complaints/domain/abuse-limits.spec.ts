import { rateRefusal, sizeIssues } from './abuse-limits';

const limits = { perAddressPerHour: 5, perAddressPerDay: 20, maxDescriptionChars: 10, maxPhotos: 2, maxPhotoBytes: 1024 * 1024 };

describe('abuse limits', () => {
  it('lets an address file up to its hour and day shares', () => {
    expect(rateRefusal({ lastHour: 4, lastDay: 19 }, limits)).toBeNull();
    expect(rateRefusal({ lastHour: 5, lastDay: 5 }, limits)).toEqual({ minutes: 60 });
    expect(rateRefusal({ lastHour: 0, lastDay: 20 }, limits)).toEqual({ minutes: 1440 });
  });

  it('counts the description in characters (Chinese text), and names each field', () => {
    expect(sizeIssues({ description: '一二三四五六七八九十', photos: [] }, limits)).toEqual([]);
    expect(sizeIssues({ description: '一二三四五六七八九十一', photos: [{ size: 1 }, { size: 2 }, { size: 3 }] }, limits)).toEqual([
      { field: 'description', reason: 'maxLength', args: [10] },
      { field: 'photos', reason: 'complaintTooManyPhotos', args: [2] },
    ]);
    expect(sizeIssues({ description: 'x', photos: [{ size: 1024 * 1024 + 1 }] }, limits)).toEqual([{ field: 'photos', reason: 'complaintPhotoTooLarge', args: ['1'] }]);
  });
});
