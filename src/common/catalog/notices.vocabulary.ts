/** Enumerated labels of the notices area (merged into VOCABULARY in ../vocabulary.ts). */
export const NOTICE_VOCABULARY = {
  /** evidence.gps_source: where a photo's position came from */
  gpsSource: {
    device: { zh: '设备定位', en: 'device location' },
    exif: { zh: '照片 EXIF', en: 'photo EXIF' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
