import { pngDataUrl, solidPng } from '../../src/common/png';

export const tinyPng = solidPng;
export const signaturePng = (): string => pngDataUrl(solidPng(40, 16, [20, 20, 20]));
