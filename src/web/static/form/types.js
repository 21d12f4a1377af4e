// @ts-check
/*
 * Shapes shared by the form modules (JSDoc only; nothing runs here).
 * The form payload is GET /api/inspections/:id/form (InspectionFormService.form); the draft is what the device keeps.
 */

/** @typedef {string | { zh?: string, en?: string } | null | undefined} Text */
/** @typedef {'pass' | 'fail' | 'na'} Result */
/** @typedef {'general' | 'major'} Severity */
/** @typedef {'single' | 'multiple' | 'widespread'} FindingScope */
/** @typedef {'note' | 'location' | 'scope' | 'severity'} FindingField */

/**
 * @typedef {object} FormItem
 * @property {string} code
 * @property {Text} title
 * @property {Text} [check]
 * @property {Severity} severity
 * @property {string | null} [majorCriterion]
 * @property {string | null} [escalatesTo]
 * @property {number | null} [deadlineDays]
 * @property {{ photoRequiredWhenFailed?: boolean, minPhotos?: number }} [evidence]
 * @property {string} [basisText]
 * @property {RequiredBy | null} [requiredBy] the deploying city's local rule set that requires the item (null: national rules)
 */

/**
 * The local rule set behind an item, e.g. 常州 (its document with its number, and the clause).
 * @typedef {{ code: string, title: string, document: string, clause: string | null }} RequiredBy
 */

/** @typedef {{ code: string, title: Text, items: FormItem[] }} FormCategory */
/** @typedef {{ userId: string, displayName: string, role?: string }} TeamMember */
/** @typedef {{ code: string, text: Text }} MajorCriterion */

/**
 * What a submission must contain: computed on the server by `submissionRequirements`, the function that
 * validates the submit (src/inspections/domain/submission.ts).
 * @typedef {object} ItemRequirements
 * @property {FindingField[]} whenFailed fields a failed answer must fill
 * @property {number} photosWhenFailed photos a failed answer must carry (0: optional)
 * @property {boolean} criterionWhenMajor a major finding must name one of `majorCriteria`
 * @property {'criterion' | 'suspected'} [majorBy] 'suspected': the item's escalation criterion has no verified text,
 *   so a major finding is offered only as 疑似重大隐患 (no 重大 grade, no criterion choice)
 * @property {boolean} [reasonWhenSuspected] a finding marked 疑似重大隐患 must give the reason
 */
/**
 * @typedef {object} Requirements
 * @property {Record<string, ItemRequirements>} items
 * @property {string[]} majorCriteria
 * @property {number} inspectorSignatures
 * @property {boolean} institutionSignature
 */

/**
 * Display names of the values the form shows, from the server's one vocabulary (common/vocabulary.ts).
 * @typedef {object} FormLabels
 * @property {Record<string, string>} result pass / fail / na
 * @property {Record<string, string>} scope single / multiple / widespread
 * @property {Record<string, string>} severity general / major
 * @property {Record<string, string>} [majorStatus] suspected / confirmed / downgraded
 */

/**
 * @typedef {object} Form
 * @property {{ id: string, status: string, kind?: string, kindLabel?: string, scheduledDate?: string | null, startedAt?: string | null, version?: number }} inspection
 * @property {{ id?: string, name?: string, address?: string | null, kindLabel?: string }} [institution]
 * @property {TeamMember[]} [team]
 * @property {{ code: string, versionNo: number, title: Text }} [checklist]
 * @property {FormCategory[]} categories
 * @property {MajorCriterion[]} [majorCriteria]
 * @property {Requirements} [requirements] absent only in a copy cached before the server sent it
 * @property {FormLabels} [labels] absent only in a copy cached before the server sent it
 * @property {{ submissionId: string, hazardCount: number } | null} [submission]
 */

/**
 * One photo as the draft knows it; the bytes are in the photo store under `key`.
 * @typedef {object} PhotoMeta
 * @property {string} key
 * @property {string | null} evidenceId set once uploaded
 * @property {string | null} [url]
 * @property {string} takenAt
 * @property {number | null} [lat]
 * @property {number | null} [lng]
 * @property {number} [bytes]
 * @property {string} [sha256]
 * @property {boolean} [missing] the bytes are gone from the device and never reached the server
 */

/**
 * @typedef {object} Answer
 * @property {Result | null} [result]
 * @property {string} [note]
 * @property {string} [location]
 * @property {Severity | null} [severity]
 * @property {string | null} [majorCriterion]
 * @property {FindingScope | null} [scope]
 * @property {boolean} [suspectedMajor] 疑似重大隐患: general until the bureau confirms or downgrades it
 * @property {string} [suspectedReason]
 * @property {PhotoMeta[]} photos
 * @property {string} [answeredAt]
 */

/** @typedef {{ userId: string, image: string | null }} InspectorSignature */

/**
 * @typedef {object} Draft
 * @property {1} v
 * @property {string} inspectionId
 * @property {string | null} checklist code@versionNo the draft was filled against
 * @property {number} rev local revision, bumped on every change
 * @property {number} serverRev the revision the server copy holds
 * @property {string | null} serverSavedAt
 * @property {string} updatedAt
 * @property {boolean} started POST /start has been accepted
 * @property {Record<string, Answer>} answers
 * @property {{ inspectors: InspectorSignature[], rep: { name: string, image: string | null } }} signatures
 * @property {string | null} submissionId kept so a retried submit is recognised by the server
 * @property {boolean} submitPending 确认提交 was pressed and the submit has not been answered yet
 */

export {};
