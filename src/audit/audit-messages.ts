/**
 * What verification and the sealer report that is not a break (warnings) and why sealing stopped (key problems,
 * a restored cluster), Chinese first. Stored with each verification as codes ({@link AuditWarning}); the texts are here.
 */
export type AuditWarningCode =
  | 'unsealed_stale' | 'anchor_missing' | 'anchor_bad' | 'key_missing' | 'key_invalid' | 'key_mismatch' | 'xid_behind';

/** The key problems: the sealer stops (the app serves on; events are appended and wait unsealed). */
export type KeyProblem = 'key_missing' | 'key_invalid' | 'key_mismatch';
/** Why the sealer does not seal: a key problem, or the database's transaction ids run behind the chain head (a restore). */
export type SealingStop = KeyProblem | 'xid_behind';

export interface AuditWarning {
  code: AuditWarningCode;
  /** how many (events, lines) where it counts */
  count?: number;
}

const KEY_FIX_ZH = '请从备份恢复 DATA_DIR/secrets/audit-hmac.key（或设置与原来相同的 AUDIT_HMAC_KEY）后重启；在此之前事件照常记录，但不再封存。';
const KEY_FIX_EN = 'restore DATA_DIR/secrets/audit-hmac.key from the backup (or set the same AUDIT_HMAC_KEY as before) and restart; until then events are recorded but not sealed.';

const TEXT: Record<AuditWarningCode, (n: number) => [zh: string, en: string]> = {
  unsealed_stale: (n) => [`有 ${n} 条事件超过 5 分钟仍未封存（是否有长事务占住 xmin，或没有运行后台任务进程？）`,
    `${n} events older than 5 minutes are not sealed yet (is a long transaction holding the xmin back, or no worker running?)`],
  anchor_missing: () => ['未找到锚定文件（DATA_DIR/audit/checkpoints.log），检查点只能与数据库内的记录核对',
    'no anchor file (DATA_DIR/audit/checkpoints.log): checkpoints are checked against the database only'],
  anchor_bad: (n) => [`锚定文件中有 ${n} 行无法通过校验`, `${n} lines of the anchor file do not verify`],
  key_missing: () => [`审计密钥缺失，审计链已有封存记录，无法封存和校验：${KEY_FIX_ZH}`, `audit key missing while the chain has sealed records, so nothing is sealed or verified: ${KEY_FIX_EN}`],
  key_invalid: () => [`审计密钥文件无效（少于 32 个字符）：${KEY_FIX_ZH}`, `audit key file invalid (shorter than 32 characters): ${KEY_FIX_EN}`],
  key_mismatch: () => [`审计密钥与审计链最新检查点不符（密钥不是封存时所用的那一把），已停止封存：${KEY_FIX_ZH}`,
    `the audit key does not match the chain's last checkpoint (it is not the key the chain was sealed with), so sealing stopped: ${KEY_FIX_EN}`],
  xid_behind: () => ['数据库的事务号落后于审计链链头（数据库是用 pg_dump 恢复的？），新事件无法封存：按 docs/adr/0001-audit-chain.md「运维」一节用 pg_resetwal -e 调高事务号纪元后重启',
    'the database\'s transaction ids are behind the chain head (restored with pg_dump?), so new events cannot be sealed: raise the xid epoch with pg_resetwal -e as in docs/adr/0001-audit-chain.md "Operations", then restart'],
};

/** The Chinese text of a warning (the pages). */
export function warningZh(w: AuditWarning): string {
  return TEXT[w.code]?.(w.count ?? 0)[0] ?? w.code;
}

/** "中文 / English" (the API, the CLI and the log). */
export function warningText(w: AuditWarning): string {
  const t = TEXT[w.code];
  if (!t) return w.code;
  const [zh, en] = t(w.count ?? 0);
  return `${zh} / ${en}`;
}
