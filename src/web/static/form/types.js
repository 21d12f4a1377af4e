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
 * @property {ItemGuidance} [guidance] 检查要点与依据 from the checklist file (absent in a copy cached before the server sent it)
 * @property {PreviousFinding | null} [previousFinding] the previous inspection's 不合格 answer to this item
 * @property {RegisterCandidate | null} [registerCandidate] 台账提示: expired certificates or statutory tests this item is about
 */

/**
 * 台账提示 — the institution's register says a certificate or a statutory test this item asks about has expired: a
 * finding candidate the inspector confirms on site (one tap fills 不符合 and the note; nothing is decided for them).
 * @typedef {object} RegisterCandidate
 * @property {string} note the pre-filled note (one line per expired entry)
 * @property {true} [info] a record to weigh (the devices' cloud-assisted duty record), not a finding to confirm: no 记为不符合 button
 * @property {string} asOf YYYY-MM-DD the register was read
 */

/**
 * 检查要点与依据: only what the checklist file holds (InspectionFormService.itemGuidance). The files have no
 * "what counts as failure" text, so there is none.
 * @typedef {object} ItemGuidance
 * @property {string[]} basis printable citations (法规依据), or the product-suggestion line
 * @property {boolean} suggestionOnly no legal basis: a product proposal (本系统建议项)
 * @property {Text} howToCheck
 * @property {Text} interim 临时管控措施 when the item fails
 */

/**
 * 上次检查发现: the institution's previous submitted inspection failed this item.
 * @typedef {object} PreviousFinding
 * @property {string} date YYYY-MM-DD (Asia/Shanghai)
 * @property {string | null} note
 * @property {string | null} location
 * @property {Severity | null} severity
 * @property {FindingScope | null} scope
 * @property {'open' | 'responded' | 'returned' | 'closed' | null} hazardStatus
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
 * @property {Record<string, string>} [hazardStatus] open / responded / returned / closed
 */

/**
 * @typedef {object} Form
 * @property {{ id: string, status: string, kind?: string, kindLabel?: string, scheduledDate?: string | null, startedAt?: string | null, version?: number }} inspection
 * @property {{ id?: string, name?: string, address?: string | null, kindLabel?: string }} [institution]
 * @property {TeamMember[]} [team]
 * @property {{ id: string, date: string, dateText: string, reportNo: string | null, failedCount: number } | null} [previousInspection]
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
 * @property {boolean} [remote] a teammate's photo not uploaded yet: its bytes are on the other phone (with `missing`)
 * @property {{ lat: number, lng: number }} [exif] the camera's position from the original's Exif (downscaling drops it)
 * @property {Markup | null} [markup] 照片标注: a layer over the photo (the bytes are never changed)
 * @property {number} [markupRev] bumped on every saved change of `markup`
 * @property {number} [markupSent] the `markupRev` the server holds
 */

/**
 * 照片标注: shapes in fractions (0…1) of the photo's width and height; `w`/`h` the photo's pixel size (server: evidence/markup.ts).
 * @typedef {{ t: 'arrow', x1: number, y1: number, x2: number, y2: number } | { t: 'circle', x: number, y: number, r: number } | { t: 'text', x: number, y: number, s: string }} MarkupShape
 * @typedef {{ v: 1, w: number, h: number, shapes: MarkupShape[] }} Markup
 */

/**
 * 作答轨迹的一步: an answer's field set at `at`, where the device was (server: TrailStepDto).
 * @typedef {{ at: string, f: string, lat?: number, lng?: number, acc?: number }} TrailStep
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
 * @property {TrailStep[]} [trail] 作答轨迹: when and where the answer was given or changed (trail.js)
 * @property {string} [editedAt] the last change on this device (team drafts: a person's later edit wins over his earlier one)
 */

/**
 * 团队草稿: the team's merged draft from GET/PUT /api/inspections/:id/draft.
 * @typedef {{ by: string | null, byName: string | null, at: string, answer: Answer }} TeamSide
 * @typedef {{ id: string, itemCode: string, createdAt?: string, sides: TeamSide[] }} TeamConflict
 * @typedef {{ categoryCode: string, userId: string, displayName: string }} SectionAssignment
 * @typedef {{ answer: Answer, by: string | null, byName: string | null, at: string, rev: number }} TeamItem
 * @typedef {{ me: string, savedAt?: string | null, items: Record<string, TeamItem>, conflicts: TeamConflict[], assignments?: SectionAssignment[] }} TeamView
 * @typedef {{ me: string, conflicts: TeamConflict[], assignments: SectionAssignment[], names: Record<string, string> }} TeamState
 */

/** @typedef {{ userId: string, image: string | null }} InspectorSignature */

/**
 * @typedef {object} Draft
 * @property {1} v
 * @property {string} inspectionId
 * @property {string | null} [owner] the signed-in inspector whose draft it is (shared phone; null: previous release)
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
 * @property {Record<string, { rev: number, answer: Answer | null }>} base per item: the server version the answer here started from
 * @property {TeamState | null} team the team's open conflicts and assignments, as last heard from the server
 */

export {};
