/**
 * Label maps of enumerated values, kept for the callers that index them directly. They are views of the one
 * vocabulary (`./vocabulary`): new code calls `label(enumName, value, lang)`, which falls back to the raw value.
 */
import { labelMap } from './vocabulary';

export type { EnumName, EnumValue } from './vocabulary';
export { label, labelEntries, labelMap, sqlLabelCase, VOCABULARY } from './vocabulary';

export const ROLE_LABELS: Record<string, string> = labelMap('role');
export const KIND_LABELS: Record<string, string> = labelMap('institutionKind');
export const OWNERSHIP_LABELS: Record<string, string> = labelMap('ownership');
export const STATUS_LABELS: Record<string, string> = labelMap('institutionStatus');
export const GAS_LABELS: Record<string, string> = labelMap('gasSupply');
export const CHANGE_REQUEST_STATUS_LABELS: Record<string, string> = labelMap('changeRequestStatus');
export const INSPECTION_KIND_LABELS: Record<string, string> = labelMap('inspectionKind');
export const INSPECTION_STATUS_LABELS: Record<string, string> = labelMap('inspectionStatus');
export const HAZARD_STATUS_LABELS: Record<string, string> = labelMap('hazardStatus');
export const SEVERITY_LABELS: Record<string, string> = labelMap('severity');
export const SCOPE_LABELS: Record<string, string> = labelMap('scope');
